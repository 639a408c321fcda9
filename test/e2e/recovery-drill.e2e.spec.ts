import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DecisionLoad, type LoadOutcome } from '../../tools/crash-test/decision-load';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';

const ROOT = path.resolve(__dirname, '..', '..');

/** A tool as an operator runs it: its own process (TypeScript loaded by ts-register), on the data directory's env. */
function tool(script: string, args: readonly string[], dataDir: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, VERDICT_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every read-model table but the bookkeeping ones, each row as JSON, sorted: equal dumps are equal read models. */
function dumpReadModels(dataDir: string): Record<string, string[]> {
  const db = new Database(path.join(dataDir, 'read-models.sqlite'), { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
      .map((t) => t.name)
      .filter((t) => !['migrations', 'projection_checkpoint', 'read_model_deferred_indexes'].includes(t));
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

/**
 * The recovery drill (docs/operations.md, "Backup and restore"): back up while clients post decisions, stop, wipe the
 * data directory, restore, start again. Everything acknowledged before the backup began is back, the seals verify,
 * every decision replays identically on the restored model bytes, and a rebuild of the read models equals them.
 */
describe('recovery drill: online backup under load, wipe, restore', () => {
  let dataDir: string;
  let backupDir: string;
  let engine: EngineProcess | undefined;
  const env = () => ({ VERDICT_DATA_DIR: dataDir, VERDICT_WARMUP_DECISIONS: '0', VERDICT_SEAL_INTERVAL_SECONDS: '0.5' });

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-drill-'));
    backupDir = path.join(mkdtempSync(path.join(tmpdir(), 'verdict-drill-backup-')), 'backup');
  });
  afterAll(async () => {
    await engine?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.dirname(backupDir), { recursive: true, force: true });
  });

  it('brings back every decision acknowledged before the backup, verifiable, replayable and rebuildable', async () => {
    engine = await startEngineProcess(env());
    const running = engine;
    const load = new DecisionLoad({ url: running.url, headers: () => running.authHeaders(), prefix: 'drill-', concurrency: 16 }).start();
    while (load.acknowledged < 300 && load.clientsLeft > 0) await new Promise((r) => setTimeout(r, 10));
    // A client stops at its first answer other than 201: none may have before the stop.
    expect(load.outcomes.filter((o) => o.status !== 201)).toEqual([]);
    const before: LoadOutcome[] = load.outcomes.filter((o) => o.status === 201);

    const backup = tool('tools/cli/verdict.ts', ['backup', '--data-dir', dataDir, '--out', backupDir], dataDir);
    expect(backup).toMatchObject({ status: 0, stdout: expect.stringContaining('backed up') });
    const during = load.acknowledged;
    while (load.acknowledged < during + 100 && load.clientsLeft > 0) await new Promise((r) => setTimeout(r, 10));
    await load.stop();
    expect(await running.stop()).toEqual({ code: 0, signal: null });
    engine = undefined;
    expect(readdirSync(backupDir).sort()).toEqual(['events.sqlite', 'keys', 'manifest.json', 'models', 'read-models.sqlite', 'subject-keys.sqlite']);

    // A non-empty data directory is refused; wiped, it takes the backup.
    expect(tool('tools/cli/verdict.ts', ['restore', '--from', backupDir, '--data-dir', dataDir], dataDir)).toMatchObject({ status: 1, stderr: expect.stringContaining('not empty') });
    rmSync(dataDir, { recursive: true, force: true });
    expect(tool('tools/cli/verdict.ts', ['restore', '--from', backupDir, '--data-dir', dataDir], dataDir)).toMatchObject({ status: 0 });

    const verify = tool('tools/cli/verdict.ts', ['audit', 'verify', '--event-store', path.join(dataDir, 'events.sqlite')], dataDir);
    expect(verify).toMatchObject({ status: 0, stdout: expect.stringMatching(/^clean: [1-9]\d* seal\(s\)/) });

    engine = await startEngineProcess(env());
    const headers = engine.authHeaders();
    for (const o of before) {
      const res = await fetch(`${engine.url}/v1/transactions/${o.transactionId}/decision`, { headers });
      expect(res.status).toBe(200);
      const record = (await res.json()) as { request: unknown };
      expect(record).toMatchObject({ decisionId: o.answer?.decisionId, position: o.answer?.position });
      // The subject keys came back with the log: every personal value can still be opened.
      expect(JSON.stringify(record.request)).not.toMatch(/\[erased\]|"ps_/);
    }

    const accepted = await fetch(`${engine.url}/v1/replays`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
    expect(accepted.status).toBe(202);
    const { replayId } = (await accepted.json()) as { replayId: string };
    let replay: { status: string; report?: { counts: Record<string, number> } };
    for (;;) {
      replay = (await (await fetch(`${engine.url}/v1/replays/${replayId}`, { headers })).json()) as typeof replay;
      if (replay.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const decisions = replay.report?.counts.decisions ?? 0;
    expect(decisions).toBeGreaterThanOrEqual(before.length);
    expect(replay).toMatchObject({ status: 'completed', report: { counts: { identical: decisions, mismatched: 0, modelMissing: 0, modelAltered: 0 } } });

    for (;;) {
      const ready = (await (await fetch(`${engine.url}/health/ready`)).json()) as { checks: { projections: { lag: number } } };
      if (ready.checks.projections.lag === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await engine.stop()).toEqual({ code: 0, signal: null });
    engine = undefined;
    const restored = dumpReadModels(dataDir);
    expect(restored.decision_history.length).toBe(decisions);

    expect(tool('tools/rebuild/rebuild-read-models.ts', [], dataDir)).toMatchObject({ status: 0 });
    expect(dumpReadModels(dataDir)).toEqual(restored);
  }, 300_000);
});
