/**
 * `npm run bench:replay`: an auditor's replay of a whole log. It seeds N real decisions through the engine's HTTP API
 * (simulated traffic, with a champion change halfway, so two models), then replays them all through
 * `POST /v1/replays` several times and reports decisions/s from each replay's own duration. Writes
 * bench/results/replay-node<major>.{json,md}. Method and figures: docs/benchmarks.md.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { createLogger, loadConfig, repoRoot } from '@verdict/config';
import { createEngineApp } from '../../../apps/engine/src/engine-app';
import { InlineProjections } from '../../../apps/engine/src/projections/inline-projections';
import { EVENT_STORE } from '../../../apps/engine/src/infrastructure/tokens';
import type { EventStore } from '@verdict/event-store';
import { machineInfo } from '../machine-info';
import { RequestPool } from '../request-pool';
import { simulatedRequests } from '../simulated-requests';
import { modelVariant } from './model-variant';
import { adminAuthHeaders } from '../../ops/admin-key';

/** The engine's admin key, read once it has started (it writes the key on a fresh data dir). */
let auth: Record<string, string> = {};

interface ReplayRun {
  readonly decisions: number;
  readonly identical: number;
  readonly durationMs: number;
  readonly perSecond: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, headers: { ...auth, ...init?.headers } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Sends `count` decisions with `concurrency` requests in flight. */
async function seed(url: string, pool: RequestPool, count: number, concurrency: number): Promise<void> {
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent++;
      const res = await fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: pool.next().body });
      if (res.status !== 201) throw new Error(`decision → ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function replayAll(url: string): Promise<ReplayRun> {
  const { replayId } = await json(`${url}/v1/replays`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  for (;;) {
    const state = await json(`${url}/v1/replays/${replayId}`);
    if (state.status === 'failed') throw new Error(`replay failed: ${state.error}`);
    if (state.status === 'completed') {
      const { decisions, identical } = state.report.counts;
      return { decisions, identical, durationMs: state.durationMs, perSecond: Math.round(decisions / (state.durationMs / 1000)) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const options = new Command('bench:replay')
    .option('--decisions <n>', 'decisions to seed', (v) => Number.parseInt(v, 10), 100_000)
    .option('--runs <n>', 'replays of the whole log', (v) => Number.parseInt(v, 10), 3)
    .option('--data-dir <dir>', 'keep the seeded log here; a directory seeded by an earlier run is replayed as it is')
    .parse()
    .opts<{ decisions: number; runs: number; dataDir?: string }>();
  const root = repoRoot();
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'verdict-replay-bench-'));
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : path.join(scratch, 'data');
  const seeded = options.dataDir !== undefined && existsSync(path.join(dataDir, 'events.sqlite'));
  const config = loadConfig({ VERDICT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  const { app } = await createEngineApp(config, createLogger('silent', 'verdict-bench'));
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    auth = adminAuthHeaders(dataDir);
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    if (!seeded) {
      await seedLog(url, options.decisions, config.model.path, say);
      // The read model sizes each replay's progress; let it catch up first.
      await app.get(InlineProjections).waitForPosition(await app.get<EventStore>(EVENT_STORE).headPosition(), 120_000);
    }
    const runs: ReplayRun[] = [];
    for (let i = 0; i < options.runs; i++) {
      const run = await replayAll(url);
      if (run.identical !== run.decisions || (!seeded && run.decisions !== options.decisions)) throw new Error(`replay was not clean: ${JSON.stringify(run)}`);
      say(`replay ${i + 1}: ${run.decisions} decisions in ${run.durationMs} ms = ${run.perSecond}/s`);
      runs.push(run);
    }
    const sorted = [...runs].map((r) => r.perSecond).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const machine = machineInfo(root);
    const major = process.versions.node.split('.')[0];
    const outDir = path.join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `replay-node${major}.json`), `${JSON.stringify({ machine, decisions: runs[0]?.decisions, runs, medianPerSecond: median }, null, 2)}\n`);
    const md = [
      `# Replay benchmark (Node ${process.versions.node})`,
      '',
      `${machine.date}, ${machine.cpuModel}, ${machine.nproc} cores, commit ${machine.gitCommit ?? 'unknown'}.`,
      '',
      `${runs[0]?.decisions} decisions made through the API on the embedded store (SQLite), two models (a champion change halfway),`,
      'then `POST /v1/replays {}` (everything, mode recorded); each figure is the replay\'s own duration from its ReplayCompleted event.',
      '',
      '| run | decisions | identical | duration | decisions/s |',
      '|---|---|---|---|---|',
      ...runs.map((r, i) => `| ${i + 1} | ${r.decisions} | ${r.identical} | ${(r.durationMs / 1000).toFixed(2)} s | ${r.perSecond.toLocaleString('en-US')} |`),
      '',
      `Median: **${median.toLocaleString('en-US')} decisions/s**.`,
      '',
    ].join('\n');
    writeFileSync(path.join(outDir, `replay-node${major}.md`), md);
    say(`median ${median}/s; written bench/results/replay-node${major}.{json,md}`);
  } finally {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** N decisions through the API, with a champion change (to a second model) halfway. */
async function seedLog(url: string, decisions: number, modelPath: string, say: (line: string) => void): Promise<void> {
  const pool = RequestPool.fromRequests(simulatedRequests(7, 5000), `replay-bench-${Date.now().toString(36)}`);
  const half = Math.floor(decisions / 2);
  say(`seeding ${decisions} decisions through the API (champion change after ${half})…`);
  await seed(url, pool, half, 32);
  const form = new FormData();
  form.append('model', new Blob([modelVariant(readFileSync(modelPath), 'replay bench variant')]), 'model.onnx');
  await json(`${url}/v1/models/fraud-demo/versions/replay-bench`, { method: 'POST', body: form });
  await json(`${url}/v1/deployment/champion`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'fraud-demo', version: 'replay-bench', reason: 'bench: a second model in the log' }),
  });
  await seed(url, pool, decisions - half, 32);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
