import { InvalidCursorError } from '../read-model.errors';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { ReviewQueueQueries, type ReviewOrder } from './review-queue.queries';

const cursor = (score: number, position: string) => Buffer.from(JSON.stringify([score, position]), 'utf8').toString('base64url');

describe.each(readModelTestTargets())('review queue cursors on $kind', (target) => {
  let model: TestReadModel;
  let queries: ReviewQueueQueries;

  beforeEach(async () => {
    model = await target.open();
    queries = new ReviewQueueQueries(model.dataSource);
  });

  afterEach(async () => {
    await model.dispose();
  });

  const list = (order: ReviewOrder, c: string) => queries.list({ status: 'open', order, limit: 10, cursor: c, now: new Date() });

  it.each(['score', 'age'] as const)('refuses a position past a signed 64-bit integer (order=%s), which the store cannot bind', async (order) => {
    await expect(list(order, cursor(0.5, '9223372036854775808'))).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(list(order, cursor(0.5, '18446744073709551615'))).rejects.toBeInstanceOf(InvalidCursorError);
    expect(await list(order, cursor(0.5, '9223372036854775807'))).toMatchObject({ items: [] });
  });
});
