import fc from 'fast-check';
import { mergeReplayReports, ReplayTally, REPORT_LIST_LIMIT } from './replay-report';

const selection = { mode: 'recorded' as const };
const models = [
  { sha256: 'a'.repeat(64), name: 'm', version: '1' },
  { sha256: 'b'.repeat(64), name: 'm', version: '2' },
];

type Verdict = { kind: 'same' | 'differs' | 'missing' | 'drift'; model: 0 | 1 };
const verdict = fc.record({ kind: fc.constantFrom<Verdict['kind']>('same', 'differs', 'missing', 'drift'), model: fc.constantFrom<0 | 1>(0, 1) });

function tallyOf(verdicts: readonly Verdict[], offset: number): ReplayTally {
  const tally = new ReplayTally(selection);
  verdicts.forEach((v, i) => {
    const position = BigInt(offset + i + 1);
    const model = models[v.model];
    if (v.kind === 'missing') tally.unavailable(position, model, 'missing');
    else tally.replayed(`d${offset + i}`, position, model, v.kind === 'differs' ? [{ field: 'score', recorded: 1, replayed: 2 }] : []);
    if (v.kind === 'drift') tally.featureDrift(`d${offset + i}`, position, [{ field: 'features.amount', recorded: 1, replayed: 2 }]);
  });
  return tally;
}

describe('replay reports', () => {
  it('count every decision exactly once, and list at most the first 100 mismatches in log order', () => {
    const verdicts: Verdict[] = Array.from({ length: 250 }, (_, i) => ({ kind: i % 2 === 0 ? 'differs' : 'same', model: 0 }));
    const report = tallyOf(verdicts, 0).report();
    expect(report.counts).toEqual({ decisions: 250, identical: 125, mismatched: 125, modelMissing: 0, modelAltered: 0, featureDrift: 0 });
    expect(report.mismatches).toHaveLength(REPORT_LIST_LIMIT);
    expect(report.mismatches[0]).toEqual({ decisionId: 'd0', position: '1', field: 'score', recorded: 1, replayed: 2 });
    expect(report.positions).toEqual({ first: '1', last: '250' });
  });

  it('merged from consecutive ranges, equal the report of one pass over the whole range', () => {
    fc.assert(
      fc.property(fc.array(verdict, { maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 3 }), (verdicts, cuts) => {
        const bounds = [...new Set([0, ...cuts.map((c) => Math.min(c, verdicts.length)), verdicts.length])].sort((a, b) => a - b);
        const parts = bounds.slice(1).map((end, i) => tallyOf(verdicts.slice(bounds[i], end), bounds[i]).report());
        const whole = tallyOf(verdicts, 0).report();
        const merged = mergeReplayReports(selection, parts);
        expect({ ...merged, models: [...merged.models].sort((a, b) => a.sha256.localeCompare(b.sha256)) }).toEqual({
          ...whole,
          models: [...whole.models].sort((a, b) => a.sha256.localeCompare(b.sha256)),
        });
      }),
    );
  });
});
