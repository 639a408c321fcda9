import type { DecisionRangeQueries } from '@verdict/read-models';

/** What auditors' reads need of decision_history's positions: the checkpoint, export ranges and card neighbours. */
export type DecisionRangesPort = Pick<DecisionRangeQueries, 'projectedThrough' | 'positionRange' | 'cardNeighbours'>;
