import { ModelScoreErrorCode } from './model-runtime.errors';
import { OnnxModelRuntime } from './onnx-model-runtime';
import { buildLogisticTestModel } from './testing/build-test-model';
import { buildBatchIgnoringModel, buildNanAtZeroModel, buildOneColumnModel } from './testing/misfit-test-models';
import { trialRows, trialRun } from './trial-run';

async function trial(bytes: Uint8Array, baseline?: number[]): Promise<unknown> {
  const runtime = await OnnxModelRuntime.fromBytes(bytes, { source: 'trial', baseline });
  try {
    await trialRun(runtime);
    return undefined;
  } catch (e) {
    return e;
  } finally {
    await runtime.close();
  }
}

describe('trial run: a decision model scores a batch as decisions do', () => {
  it('builds the baseline, a row off it in every feature, and that row with each feature back at its baseline', () => {
    const { values, rows } = trialRows([0.5, 2]);
    expect(rows).toBe(4);
    expect([...values]).toEqual([0.5, 2, 1.5, 3, 0.5, 3, 1.5, 2]);
    expect(trialRows([0]).rows).toBe(3); // never fewer than 3, whatever F
  });

  it('passes a model whose rows are independent', async () => {
    expect(await trial(buildLogisticTestModel({ features: ['a', 'b'], weights: [1, -1], bias: 0 }))).toBeUndefined();
  });

  it('fails what would fail decisions: output dims that ignore N (a one-row run cannot tell), a missing column, a non-finite score', async () => {
    expect(await trial(buildBatchIgnoringModel(['a']))).toMatchObject({
      code: ModelScoreErrorCode.RunFailed,
      message: expect.stringMatching(/^a trial batch of 3 rows .* failed: score output "probabilities" has dims \[1, 2\]; expected \[3\]/),
    });
    expect(await trial(buildOneColumnModel(['a']))).toMatchObject({ message: expect.stringMatching(/has dims \[3, 1\]; expected \[3\] or \[3, >1\]/) });
    expect(await trial(buildNanAtZeroModel(['a']))).toMatchObject({ message: expect.stringMatching(/the baseline row scored NaN; it must score a finite number$/) });
    expect(await trial(buildNanAtZeroModel(['a']), [3])).toBeUndefined();
    // NaN off the baseline only (its variation, -1 + 1, is the 0 this model cannot score): not a request, so it passes.
    expect(await trial(buildNanAtZeroModel(['a']), [-1])).toBeUndefined();
  });
});
