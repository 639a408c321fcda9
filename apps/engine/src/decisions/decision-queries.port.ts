import type { DecisionQueries } from '@verdict/read-models';

export type { DecisionListFilter } from '@verdict/read-models';

/** What the engine needs from the read side: the two reads of @verdict/read-models' DecisionQueries. */
export type DecisionQueriesPort = Pick<DecisionQueries, 'list' | 'findLocation'>;
