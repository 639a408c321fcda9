import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DecisionLoad, type LoadOutcome } from '../../tools/crash-test/decision-load';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';

/**
 * SIGTERM under load (docs/operations.md, "Stopping"). A request has *started* once the engine ran its first hook on it
 * (its headers were read before the drain began). Every started request gets its normal answer; one that had not
 * started is refused (a refused connection, a closed idle keep-alive connection, or 503 not-ready) and nothing of it
 * is recorded. The process exits 0, which includes: within its bound (past it, it exits 1).
 */
describe('graceful drain: SIGTERM with many clients posting decisions', () => {
  let dataDir: string;
  let engine: EngineProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-drain-'));
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every started request, records nothing it refused, and exits 0', async () => {
    const env = { VERDICT_DATA_DIR: dataDir, VERDICT_WARMUP_DECISIONS: '0' };
    engine = await startEngineProcess(env);
    const running = engine;
    const load = new DecisionLoad({ url: running.url, headers: () => running.authHeaders(), prefix: 'drain-', concurrency: 48 }).start();
    while (load.acknowledged < 300) await new Promise((r) => setTimeout(r, 10));
    load.markStop();
    const exit = await running.stop();
    const outcomes = await load.finished();
    engine = undefined;

    expect(exit).toEqual({ code: 0, signal: null });
    const answered = outcomes.filter((o) => o.status === 201);
    const refused = outcomes.filter((o) => o.status !== 201);
    // Requests were in flight when the signal came, and they were answered: the drain had work to do.
    expect(answered.filter((o) => o.afterStop).length).toBeGreaterThan(0);
    // Each client ends on a refusal that starts nothing: a 503 not-ready or a connection that carried no answer.
    const notStarted = (o: LoadOutcome) => (o.status === 503 && o.answer?.type === '/problems/not-ready') || (o.status === undefined && o.error !== undefined);
    expect(refused.filter((o) => !notStarted(o))).toEqual([]);

    engine = await startEngineProcess(env);
    const headers = engine.authHeaders();
    for (const o of answered) {
      const res = await fetch(`${engine.url}/v1/transactions/${o.transactionId}/decision`, { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ decisionId: o.answer?.decisionId, position: o.answer?.position });
    }
    for (const o of refused) {
      const res = await fetch(`${engine.url}/v1/transactions/${o.transactionId}/decision`, { headers });
      expect({ transactionId: o.transactionId, status: res.status }).toEqual({ transactionId: o.transactionId, status: 404 });
    }
  });
});
