import { applyProjectionBatch } from '../projections/apply-projection-batch';
import { writeCheckpoint } from '../projections/checkpoint-store';
import { ReadModelProjections } from '../projections/read-model-projections';
import { DecisionMadeFixture } from '../testing/decision-made.fixture';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { DecisionRangeQueries } from './decision-range.queries';

/** Decision n (1-based) is at position 2n, decided at 10:00:00 + n s, on card-(n % 3). */
describe.each(readModelTestTargets())('decision range queries on $kind', (target) => {
  let model: TestReadModel;
  let queries: DecisionRangeQueries;
  const at = (n: number) => new Date(Date.parse('2026-01-15T10:00:00.000Z') + n * 1000);

  beforeEach(async () => {
    model = await target.open();
    queries = new DecisionRangeQueries(model.dataSource);
    const fixture = new DecisionMadeFixture();
    const events = Array.from({ length: 30 }, (_, i) => fixture.recorded(BigInt(2 * (i + 1))));
    await applyProjectionBatch(model.dataSource, new ReadModelProjections(), events, 0n);
  });
  afterEach(async () => {
    await model.dispose();
  });

  it('answers where the matching decisions lie, up to the checkpoint', async () => {
    expect(await queries.projectedThrough()).toBe(60n);
    expect(await queries.positionRange({})).toEqual({ projectedThrough: 60n, first: 2n, last: 60n, count: 30 });
    // from inclusive, to exclusive, as in the list.
    expect(await queries.positionRange({ from: at(5), to: at(10) })).toEqual({ projectedThrough: 60n, first: 10n, last: 18n, count: 5 });
    expect(await queries.positionRange({ cardId: 'card-1', from: at(10) })).toEqual({ projectedThrough: 60n, first: 20n, last: 56n, count: 7 });
    expect(await queries.positionRange({ from: at(31) })).toEqual({ projectedThrough: 60n, first: null, last: null, count: 0 });
  });

  it('never answers for rows above the checkpoint it read (a reader of the store reads those itself)', async () => {
    await model.dataSource.transaction((manager) => writeCheckpoint(manager, ReadModelProjections.NAME, 40n));
    expect(await queries.positionRange({})).toEqual({ projectedThrough: 40n, first: 2n, last: 40n, count: 20 });
  });

  it("gives a card's decisions on each side of one, oldest first, none of another card", async () => {
    const { before, after } = await queries.cardNeighbours('card-1', 32n, 3);
    expect(before.map((d) => d.position)).toEqual(['14', '20', '26']);
    expect(after.map((d) => d.position)).toEqual(['38', '44', '50']);
    expect([...before, ...after].every((d) => d.cardId === 'card-1')).toBe(true);
    const edge = await queries.cardNeighbours('card-1', 2n, 10);
    expect(edge.before).toEqual([]);
    expect(edge.after).toHaveLength(9);
  });
});
