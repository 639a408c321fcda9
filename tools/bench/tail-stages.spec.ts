import { parseServerTiming, tailStages, tailStagesLine, tailStagesTable, type StageSample } from './tail-stages';

describe('parseServerTiming', () => {
  it("reads each entry's dur, and leaves out entries without a numeric one", () => {
    expect(parseServerTiming('decide;dur=1.25, append;dur=0.4')).toEqual({ decide: 1.25, append: 0.4 });
    expect(parseServerTiming('cache;desc="hit", db;dur=abc, total;desc=x;dur=7')).toEqual({ total: 7 });
    expect(parseServerTiming(undefined)).toEqual({});
    expect(parseServerTiming('')).toEqual({});
  });
});

describe('tailStages', () => {
  const sample = (totalMs: number, lateMs: number, decide: number, append: number): StageSample => ({ totalMs, lateMs, serverMs: { decide, append } });

  it('gives each stage for all answers and for the slowest 1 %, the rest being what the stages leave of the latency', () => {
    // 198 quick answers and two slow ones, the slowest of them held up in its append: the slowest 1 % is those two.
    const samples = [...Array.from({ length: 198 }, () => sample(4, 0.5, 1, 1)), sample(10, 1, 2, 3), sample(60, 1, 4, 50)];
    const t = tailStages(samples)!;
    expect(t.answers).toBe(200);
    expect(t.slowest).toBe(2);
    const byStage = Object.fromEntries(t.stages.map((s) => [s.name, s]));
    expect(byStage.late).toMatchObject({ meanSlowestMs: 1 });
    expect(byStage.decide).toMatchObject({ meanSlowestMs: 3 });
    expect(byStage.append).toMatchObject({ meanSlowestMs: 26.5, p99Ms: 1 });
    // 4 − 0.5 − 1 − 1 for the quick ones; 4 and 5 for the slow ones.
    expect(byStage['everything else']).toMatchObject({ meanSlowestMs: 4.5 });
    // The p99 of 200 is the 198th: the two slow answers are the 1 % above it.
    expect(byStage.whole).toMatchObject({ meanSlowestMs: 35, p99Ms: 4 });
    expect(byStage.whole.meanAllMs).toBeCloseTo((198 * 4 + 70) / 200, 2);
    expect(tailStagesTable('engine', t)).toContain(`| append: the group commit's round trip | ${byStage.append.meanAllMs} | 26.5 | 1 |`);
    expect(tailStagesTable('engine', t)).toContain('the slowest 1 % is 2 of 200 answers');
    expect(tailStagesLine(t)).toContain('append 26.5');
  });

  it('never gives "everything else" below 0, and is null when no answer carried the server stages', () => {
    const t = tailStages([sample(1, 0.5, 1, 1)])!;
    expect(t.stages.find((s) => s.name === 'everything else')!.meanAllMs).toBe(0);
    expect(tailStages([{ totalMs: 3, lateMs: 0, serverMs: {} }, { totalMs: 3, lateMs: 0, serverMs: { decide: 1 } }])).toBeNull();
    expect(tailStages([])).toBeNull();
  });

  it("splits the rest into time in the engine and time outside it when every answer names the engine's whole time", () => {
    const withServer = (totalMs: number, server: number): StageSample => ({ totalMs, lateMs: 1, serverMs: { decide: 4, append: 5, server } });
    const t = tailStages([withServer(20, 12), withServer(30, 10)])!;
    expect(t.stages.map((s) => s.name)).toEqual(['late', 'decide', 'append', 'rest in the engine', 'outside the engine', 'whole']);
    const byStage = Object.fromEntries(t.stages.map((s) => [s.name, s]));
    // 12 − 4 − 5 and 10 − 4 − 5; 20 − 1 − 12 and 30 − 1 − 10 (the slowest 1 % of two answers is the 30 ms one).
    expect(byStage['rest in the engine']).toMatchObject({ meanAllMs: 2, meanSlowestMs: 1 });
    expect(byStage['outside the engine']).toMatchObject({ meanAllMs: 13, meanSlowestMs: 19 });
    expect(tailStagesLine(t)).toBe('slowest 1 %, mean ms by stage: late 1, decide 4, append 5, rest in the engine 1, outside the engine 19, whole 30');
    // One answer without it: the rest stays one stage.
    expect(tailStages([withServer(20, 12), sample(30, 1, 4, 5)])!.stages.map((s) => s.name)).toContain('everything else');
  });
});
