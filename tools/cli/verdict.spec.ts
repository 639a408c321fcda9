import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEngine, type RunningEngine } from '../../test/support/engine-harness';
import { DEMO_MODEL_PATH } from '../../test/support/model-fixtures';
import { CapturedIo } from '../simulate/testing/captured-io';
import { runVerdictCli } from './verdict';

/**
 * The operator's walk-through, through the CLI against a real engine on a real port: register a new version,
 * canary it at 10 % with an analysis, watch the split, promote, roll back, ask what was live earlier.
 */
describe('verdict CLI', () => {
  let engine: RunningEngine;
  let dir: string;

  beforeAll(async () => {
    engine = await startEngine();
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-cli-'));
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const io = new CapturedIo();
    const code = await runVerdictCli(['--url', engine.url, '--api-key', engine.adminKey, '--actor', 'cli-test', ...args], io);
    return { code, out: io.stdoutText, err: io.stderrText };
  };
  const json = async (...args: string[]) => {
    const r = await run('--json', ...args);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    return JSON.parse(r.out);
  };

  it('registers a version, shows and lists it', async () => {
    const manifest = path.join(dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ description: 'retrained', metrics: { rocAuc: 0.81 } }));
    const registered = await run('models', 'register', 'fraud-demo', '1.1.0', DEMO_MODEL_PATH, '--manifest', manifest);
    expect(registered.code).toBe(0);
    expect(registered.out).toMatch(/^registered\nfraud-demo@1\.1\.0/);
    expect((await run('models', 'register', 'fraud-demo', '1.1.0', DEMO_MODEL_PATH, '--manifest', manifest)).out).toMatch(/^already registered/);
    expect(await json('models', 'show', 'fraud-demo', '1.1.0')).toMatchObject({ version: '1.1.0', registeredBy: 'admin/cli-test', manifest: { description: 'retrained' } });
    expect((await run('models', 'show', 'fraud-demo')).out).toContain('fraud-demo@1.0.0');
  });

  it('canaries at 10 % with an analysis, promotes, rolls back, and tells what was live before', async () => {
    const analysis = path.join(dir, 'analysis.json');
    writeFileSync(analysis, JSON.stringify({ intervalSeconds: 3600, threshold: 3, stepPercent: 10, maxPercent: 50, autoPromote: false, metrics: { maxDeclineRateDelta: 0.1, minDecisions: 50 } }));
    const canary = await run('deploy', 'canary', 'fraud-demo', '1.1.0', '--percent', '10', '--analysis', analysis, '--reason', 'retrained on November');
    expect(canary.code).toBe(0);
    expect(canary.out).toMatch(/challenger\s+fraud-demo@1\.1\.0 canary 10% by cardId/);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));

    const traffic = await json('deploy', 'traffic', '25', '--reason', 'looks fine');
    expect(traffic.challenger.trafficPercent).toBe(25);
    const promoted = await json('deploy', 'promote', '--reason', 'better');
    expect(promoted).toMatchObject({ champion: { version: '1.1.0' }, challenger: null, standby: { model: { version: '2.0.0' } } });
    const rolledBack = await json('deploy', 'rollback', '--champion', '--reason', 'second thoughts');
    expect(rolledBack.champion.version).toBe('2.0.0');

    const then = await run('deploy', 'status', '--at', before);
    expect(then.out).toMatch(/challenger\s+fraud-demo@1\.1\.0 canary 10%/);
    expect(then.out).toMatch(/ChallengerDeployed by admin\/cli-test: retrained on November/);
    await engine.caughtUp(Number(await engine.store.headPosition())); // the history is a read model
    const history = await run('deploy', 'history', '--all');
    expect(history.out.split('\n')[0]).toMatch(/^REV\s+AT\s+CHANGE\s+BY\s+REASON/);
    expect(history.out).toMatch(/ChampionRolledBack\s+admin\/cli-test\s+second thoughts/);
  });

  it('says what went wrong in one line and exits non-zero', async () => {
    const stale = await run('deploy', 'promote', '--reason', 'x');
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/^verdict: 409 The deployment does not allow this change: There is no challenger deployed\.\n$/);
    const ifMatch = await run('deploy', 'policy', 'champion', 'p-9', '--review', '0.1', '--decline', '0.5', '--reason', 'x', '--if-match', '1');
    expect(ifMatch.code).toBe(1);
    expect(ifMatch.err).toMatch(/^verdict: 412 /);
    expect((await run('models', 'show', 'nope')).err).toMatch(/^verdict: 404 Model not found/);
    expect((await run('deploy', 'champion', 'fraud-demo')).code).toBe(2);
    const down = await runVerdictCli(['--url', 'http://127.0.0.1:9', 'deploy', 'status'], new CapturedIo());
    expect(down).toBe(1);
  });
});
