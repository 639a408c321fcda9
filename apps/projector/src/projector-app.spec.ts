import { loadConfig, type VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { createSqliteEventStore } from '@verdict/event-store/sqlite/sqlite-event-store';
import { createReadModelDataSource, ReadModelProjections } from '@verdict/read-models';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { allDecisions, eventually, storedCheckpoint } from '@verdict/read-models/testing/read-model-test-helpers';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { createProjectorApp } from './projector-app';
import { EVENT_STORE, READ_MODEL_DATA_SOURCE } from './projector.tokens';

const repoRoot = path.resolve(__dirname, '../../..');

async function appendDecisions(store: EventStore, fixture: DecisionMadeFixture, count: number): Promise<bigint> {
  let position = 0n;
  for (let i = 0; i < count; i++) {
    const { streamId, event } = fixture.event();
    position = (await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' })).position;
  }
  return position;
}

describe('projector', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let config: VerdictConfig;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-projector-'));
    env = {
      VERDICT_DATA_DIR: dir,
      VERDICT_EVENT_STORE: 'sqlite',
      VERDICT_EVENT_STORE_URL: path.join(dir, 'events.sqlite'),
      VERDICT_READ_MODELS: 'sqlite',
      VERDICT_READ_MODELS_URL: path.join(dir, 'read-models.sqlite'),
      VERDICT_PROJECTION_BATCH: '7',
      VERDICT_PROJECTOR_PORT: '0',
      LOG_LEVEL: 'info',
    };
    config = loadConfig(env);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('wires the configured stores, projects, and closes everything on shutdown', async () => {
    const { app, supervisor } = await createProjectorApp(config, pino({ level: 'silent' }));
    const store = app.get<EventStore>(EVENT_STORE);
    const dataSource = app.get<DataSource>(READ_MODEL_DATA_SOURCE);
    try {
      const head = await appendDecisions(store, new DecisionMadeFixture(), 20);
      await supervisor.waitForPosition(head, 20_000);
      expect(supervisor.status()).toEqual([
        expect.objectContaining({ name: ReadModelProjections.NAME, checkpoint: head, running: true }),
      ]);
      expect(await allDecisions(dataSource)).toHaveLength(20);
    } finally {
      await app.close();
    }
    expect(dataSource.isInitialized).toBe(false);
    expect(supervisor.status()[0].running).toBe(false);
    await expect(store.headPosition()).rejects.toThrow();
  });

  function startProcess() {
    const child = spawn(process.execPath, ['-r', path.join(repoRoot, 'test/support/ts-register.js'), path.join(__dirname, 'main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, ...env, CI: process.env.CI ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, exited, stdout: () => stdout, stderr: () => stderr };
  }

  it('runs as its own process and shuts down gracefully on SIGTERM', async () => {
    const { child, exited, stdout: out, stderr: err } = startProcess();
    let stdout = '';
    let stderr = '';
    const sync = () => ((stdout = out()), (stderr = err()));

    const store = await createSqliteEventStore({ path: config.eventStore.url, pollIntervalMs: 20 });
    let readModels: DataSource | undefined;
    try {
      await eventually('the projector to start', () => (sync(), stdout.includes('Verdict projector running') || child.exitCode !== null), 60_000);
      expect(stderr).toBe('');
      const head = await appendDecisions(store, new DecisionMadeFixture(), 15);
      readModels = await createReadModelDataSource(config.readModels);
      const rm = readModels;
      await eventually('the projector to apply every event', async () => (await storedCheckpoint(rm, ReadModelProjections.NAME))?.position === head, 60_000);
      expect(await allDecisions(rm)).toHaveLength(15);

      child.kill('SIGTERM');
      const exit = await exited;
      sync();
      expect(exit).toEqual({ code: 0, signal: null });
      expect(stderr).toBe('');
      const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; signal?: string; projections?: Array<{ checkpoint: string }> });
      const stopped = lines.find((l) => l.msg === 'projector stopped');
      expect(stopped).toMatchObject({ signal: 'SIGTERM', projections: [{ checkpoint: head.toString(), running: false }] });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await readModels?.destroy();
      await store.close();
    }
  });

  it('exits non-zero with the error logged when a projection fails, leaving the checkpoint before the failing batch', async () => {
    const { exited, stdout } = startProcess();
    await eventually('the projector to start', () => stdout().includes('Verdict projector running'), 60_000);
    const store = await createSqliteEventStore({ path: config.eventStore.url });
    try {
      const fixture = new DecisionMadeFixture();
      const good = await appendDecisions(store, fixture, 3);
      const { streamId, event } = fixture.event({ schemaVersion: 2 });
      const bad = (await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' })).position;
      expect(await exited).toEqual({ code: 1, signal: null });
      const fatal = stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { code?: string } })
        .find((l) => l.level === 60);
      expect(fatal).toMatchObject({ err: { code: 'UNSUPPORTED_EVENT_SCHEMA' } });
      const rm = await createReadModelDataSource(config.readModels);
      try {
        // The failing batch (it may include the good events before it) is not applied at all.
        const checkpoint = (await storedCheckpoint(rm, ReadModelProjections.NAME))?.position ?? 0n;
        expect(checkpoint).toBeLessThanOrEqual(good);
        expect(checkpoint).toBeLessThan(bad);
        expect(await allDecisions(rm)).toHaveLength(Number(checkpoint));
      } finally {
        await rm.destroy();
      }
    } finally {
      await store.close();
    }
  });
});
