import type { HistoryFeed } from '../history-feed';

/** For unit tests of the decision path with models that read no history features: any ask is a test failure. */
export const NO_HISTORY = {
  maxEntities: 1,
  values: () => Promise.reject(new Error('this test has no history thread')),
} as unknown as HistoryFeed;
