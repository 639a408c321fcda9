import type { DeploymentHistoryQueries } from '@verdict/read-models';

/** What the engine needs of the deployment's history: its read-model query, newest first with cursors. */
export type DeploymentHistoryQueriesPort = Pick<DeploymentHistoryQueries, 'list'>;
