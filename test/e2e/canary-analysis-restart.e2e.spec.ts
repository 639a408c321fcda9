import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decisionRequest } from '../support/engine-harness';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';
import { demoModelBytes } from '../support/model-fixtures';

/**
 * The analysis lives in the log, not in a process: an engine restarted in the middle of a failing canary recomputes
 * the windows already closed from the decisions in the log, counts their failed checks, and rolls the challenger back
 * when the total reaches the threshold.
 */
describe('automatic canary analysis across an engine restart', () => {
  let dataDir: string;
  let engine: EngineProcess | undefined;
  beforeAll(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-analysis-restart-'))));
  afterAll(async () => {
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ VERDICT_DATA_DIR: dataDir });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (url: string, init?: RequestInit): Promise<any> => (await fetch(url, { ...init, headers: { ...engine?.authHeaders(), ...init?.headers } })).json();
  let n = 0;
  const load = (url: () => string) => {
    let running = true;
    const loops = Array.from({ length: 3 }, async () => {
      while (running) {
        try {
          await (await fetch(`${url()}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...engine?.authHeaders() }, body: JSON.stringify(decisionRequest({ cardId: `restart-card-${n++ % 300}` })) })).arrayBuffer();
        } catch {
          await new Promise((r) => setTimeout(r, 50)); // the engine is restarting
        }
      }
    });
    return async () => {
      running = false;
      await Promise.all(loops);
    };
  };

  it('counts the failed checks judged before the restart and rolls back after it', async () => {
    engine = await startEngineProcess(env());
    const form = new FormData();
    form.append('model', new Blob([demoModelBytes()]), 'model.onnx');
    form.append('manifest', JSON.stringify({ description: 'same bytes, another version' }));
    expect((await fetch(`${engine.url}/v1/models/fraud-demo/versions/strict`, { method: 'POST', body: form, headers: engine.authHeaders() })).status).toBe(201);
    const stop = load(() => engine!.url);
    const deployed = await fetch(`${engine.url}/v1/deployment/challenger`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...engine.authHeaders() },
      body: JSON.stringify({
        model: 'fraud-demo',
        version: 'strict',
        mode: 'canary',
        policy: { version: 'decline-all', reviewThreshold: 0, declineThreshold: 0 },
        analysis: { intervalSeconds: 2, threshold: 3, stepPercent: 50, maxPercent: 50, autoPromote: false, metrics: { maxDeclineRateDelta: 0.2, minDecisions: 5 } },
        reason: 'fails on purpose',
      }),
    });
    expect(deployed.status).toBe(200);
    // Windows of 2 s from the deployment, each judged 0.5 s after it closes: at since + 5.5 s two have failed (not yet
    // the threshold) and the third is a second away. Timed from the deployment, not from the answer, which may be slow.
    const since = Date.parse(((await deployed.json()) as { challenger: { since: string } }).challenger.since);
    await new Promise((r) => setTimeout(r, Math.max(0, since + 5500 - Date.now())));
    expect((await json(`${engine.url}/v1/deployment`)).challenger).not.toBeNull();
    const restartedAt = Date.now();
    await engine.stop();
    engine = await startEngineProcess(env());
    const deadline = Date.now() + 20_000;
    let state;
    do {
      state = await json(`${engine.url}/v1/deployment`);
      if (state.challenger === null) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    await stop();
    expect(state.challenger).toBeNull();
    const history = await json(`${engine.url}/v1/deployment?at=${new Date().toISOString()}`);
    expect(history.revision).toBe(3);
    const rolledBack = (await (async () => {
      for (let i = 0; i < 100; i++) {
        const page = await json(`${engine!.url}/v1/deployment/history?limit=5`);
        const found = page.items.find((e: { type: string }) => e.type === 'ChallengerRolledBack');
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      return undefined;
    })()) as { actor: string; event: { evidence: { failedChecks: number; checks: { to: string; judged: boolean; passed: boolean }[] } } };
    expect(rolledBack.actor).toBe('canary-analysis');
    const failed = rolledBack.event.evidence.checks.filter((c) => c.judged && !c.passed);
    expect(rolledBack.event.evidence.failedChecks).toBe(3);
    // At least one of the failed checks was judged from windows that closed before the restart.
    expect(failed.some((c) => Date.parse(c.to) < restartedAt)).toBe(true);
  }, 60_000);
});
