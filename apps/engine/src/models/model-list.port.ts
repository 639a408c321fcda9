import type { ModelListQueries } from '@verdict/read-models';

/** What the engine needs of the registry's read model: GET /v1/models. */
export type ModelListQueriesPort = Pick<ModelListQueries, 'list'>;
