import { ERASED } from '@verdict/domain/privacy/personal-fields';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import fc from 'fast-check';
import { DecisionRecord } from '../entities/decision-record.entity';
import { DecisionQueries } from '../queries/decision-queries';
import { dialectOf, tableOf } from '../sql-dialect';
import { DecisionMadeFixture, recordedSubjectErased } from '../testing/decision-made.fixture';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { ReadModelProjections } from './read-model-projections';

interface Row {
  readonly decision_id: string;
  readonly card_id: string;
  readonly customer_id: string | null;
  readonly subject_ref: string | null;
}

/** A v4 decision of subject `s` (pseudonyms `ps_card-<s>`, `ps_cust-<s>`), or with a card token instead. */
function decision(fixture: DecisionMadeFixture, position: bigint, s: string, options: { token?: string; keyId?: string } = {}): RecordedEvent {
  const request = { cardId: options.token ?? `ps_card-${s}`, customerId: `ps_cust-${s}`, deviceId: 'ps_dev-shared' };
  return fixture.recorded(position, { request, subject: { ref: `ps_subject-${s}`, keyId: options.keyId } });
}

const erasure = (position: bigint, s: string, keyIds?: readonly string[]): RecordedEvent =>
  recordedSubjectErased(position, `ps_subject-${s}`, { cardId: [`ps_card-${s}`], customerId: [`ps_cust-${s}`] }, keyIds);

describe.each(readModelTestTargets())('decision history applying SubjectErased on $kind', (target) => {
  let model: TestReadModel;
  let fixture: DecisionMadeFixture;
  const projection = new ReadModelProjections();
  beforeEach(async () => {
    model = await target.open();
    fixture = new DecisionMadeFixture('erase');
  });
  afterEach(async () => model.dispose());

  const apply = (events: readonly RecordedEvent[]) => model.dataSource.transaction((manager) => projection.handle(events, manager));
  async function rows(): Promise<Row[]> {
    return model.dataSource.query(`SELECT "decision_id", "card_id", "customer_id", "subject_ref" FROM ${tableOf(model.dataSource.manager, DecisionRecord)} ORDER BY "position"`);
  }

  it("blanks the subject's pseudonyms in its earlier rows; other subjects, card tokens and clear v1 rows stay", async () => {
    const before = [decision(fixture, 1n, 's'), decision(fixture, 2n, 's', { token: 'tok-9' }), decision(fixture, 3n, 't'), fixture.recorded(4n)];
    await apply(before);
    expect((await rows()).map((r) => r.subject_ref)).toEqual(['ps_subject-s', 'ps_subject-s', 'ps_subject-t', null]);
    await apply([erasure(5n, 's')]);
    // Delivered again (a redelivery, or a rebuild into the same tables): the erasure is not undone.
    await apply(before);
    expect((await rows()).map((r) => [r.card_id, r.customer_id])).toEqual([
      [ERASED, ERASED],
      ['tok-9', ERASED],
      ['ps_card-t', 'ps_cust-t'],
      ['card-1', 'customer-4'],
    ]);
    // Filters compare the stored value: the erased subject's pseudonym finds nothing, another's still finds its row.
    const queries = new DecisionQueries(model.dataSource);
    expect((await queries.list({ cardId: 'ps_card-s' })).items).toEqual([]);
    expect((await queries.list({ customerId: 'ps_cust-s' })).items).toEqual([]);
    expect((await queries.list({ cardId: 'ps_card-t' })).items.map((d) => d.decisionId)).toEqual([before[2]!.data.decisionId]);
  });

  it('applies an erasure in log order inside one batch: the subject coming back under a new key keeps its new row', async () => {
    const events = [decision(fixture, 1n, 's'), decision(fixture, 2n, 't'), erasure(3n, 's'), decision(fixture, 4n, 's', { keyId: 'k-2' })];
    // Prepared on one side and written on the other, as a rebuild's worker thread and writer do.
    const prepared = structuredClone(projection.prepare(events, dialectOf(model.dataSource)));
    await model.dataSource.transaction((manager) => projection.applyPrepared(prepared, manager));
    expect((await rows()).map((r) => [r.card_id, r.customer_id])).toEqual([
      [ERASED, ERASED],
      ['ps_card-t', 'ps_cust-t'],
      ['ps_card-s', 'ps_cust-s'],
    ]);
    await apply([erasure(5n, 's')]);
    expect((await rows()).map((r) => r.card_id)).toEqual([ERASED, 'ps_card-t', ERASED]);
  });

  it.each([
    ['each in its own batch', [1, 1, 1, 1]],
    ['all in one batch', [4]],
  ])('blanks a decision sealed under an erased key but logged after the erasure, %s; the new key stays readable', async (_how, cuts) => {
    // A lagging instance sealed `late` under k-old before it saw the erasure; `back` is the subject returning.
    const log = [decision(fixture, 1n, 's', { keyId: 'k-old' }), erasure(2n, 's', ['k-old']), decision(fixture, 3n, 's', { keyId: 'k-old' }), decision(fixture, 4n, 's', { keyId: 'k-new' })];
    for (let start = 0, c = 0; start < log.length; start += cuts[c++]!) {
      const prepared = structuredClone(projection.prepare(log.slice(start, start + cuts[c]!), dialectOf(model.dataSource)));
      await model.dataSource.transaction((manager) => projection.applyPrepared(prepared, manager));
    }
    expect((await rows()).map((r) => [r.card_id, r.customer_id])).toEqual([
      [ERASED, ERASED],
      [ERASED, ERASED],
      ['ps_card-s', 'ps_cust-s'],
    ]);
    // Once the subject is back its pseudonyms are known again: the late row must not be found by them.
    expect((await new DecisionQueries(model.dataSource).list({ cardId: 'ps_card-s' })).items.map((d) => d.decisionId)).toEqual([log[3]!.data.decisionId]);
  });

  it('ends the same however the log is cut into batches: a row is blanked iff its subject is erased later or its key before (property)', async () => {
    // `late`: a decision sealed under the subject's last erased key (a lagging instance); a plain decision after an
    // erasure is the subject back under a new key.
    const step = fc.oneof(
      fc.record({ kind: fc.constantFrom('decision' as const, 'late' as const), subject: fc.constantFrom('a', 'b', 'c'), token: fc.boolean() }),
      fc.record({ kind: fc.constant('erasure' as const), subject: fc.constantFrom('a', 'b', 'c') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 30 }), async (steps, cuts) => {
        await model.dataSource.transaction((manager) => projection.truncate(manager));
        const generation = new Map<string, number>();
        const lateKeys = new Set<number>();
        const log = steps.map((s, i) => {
          const g = generation.get(s.subject) ?? 0;
          if (s.kind === 'erasure') {
            generation.set(s.subject, g + 1);
            return erasure(BigInt(i + 1), s.subject, [`k-${s.subject}-${g}`]);
          }
          const late = s.kind === 'late' && g > 0;
          if (late) lateKeys.add(i);
          return decision(fixture, BigInt(i + 1), s.subject, { keyId: `k-${s.subject}-${late ? g - 1 : g}`, ...(s.token ? { token: `tok-${s.subject}` } : {}) });
        });
        for (let start = 0, c = 0; start < log.length; c++) {
          const size = cuts[c % cuts.length]!;
          await apply(log.slice(start, start + size));
          start += size;
        }
        const expected = steps.flatMap((s, i) => {
          if (s.kind === 'erasure') return [];
          const erased = lateKeys.has(i) || steps.slice(i + 1).some((later) => later.kind === 'erasure' && later.subject === s.subject);
          const card = s.token ? `tok-${s.subject}` : erased ? ERASED : `ps_card-${s.subject}`;
          return [[card, erased ? ERASED : `ps_cust-${s.subject}`]];
        });
        expect((await rows()).map((r) => [r.card_id, r.customer_id])).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
