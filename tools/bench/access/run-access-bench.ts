/**
 * `npm run bench:access`: what the access log costs a read. An auditor's closed-loop `GET /v1/decisions/{id}` load,
 * on one embedded engine (SQLite) with the access log as it runs (one AccessRecorded appended and fsync'd, through
 * group commit, before each answer), then on the same data with the log's append replaced by nothing; alternated,
 * several rounds each. Writes bench/results/access-log-node<major>.{json,md}. Method and figures: docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Provider } from '@nestjs/common';
import { Command } from 'commander';
import { createLogger, loadConfig, repoRoot, type VerdictConfig } from '@verdict/config';
import { AccessLog } from '../../../apps/engine/src/access/access-log';
import { createEngineApp } from '../../../apps/engine/src/engine-app';
import { EVENT_STORE } from '../../../apps/engine/src/infrastructure/tokens';
import type { EventStore } from '@verdict/event-store';
import { machineInfo } from '../machine-info';
import { latencySummary } from '../open-loop-run';
import { simulatedRequests } from '../simulated-requests';
import { adminAuthHeaders } from '../../ops/admin-key';

interface Round {
  readonly variant: 'recorded' | 'unrecorded';
  readonly reads: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly accessRecords: number;
}

/** The access log with its append taken out: the comparison run. */
const NO_ACCESS_LOG: Provider = { provide: AccessLog, useValue: { record: async () => undefined, read: async () => ({ items: [], nextCursor: null }) } };

async function withEngine<T>(config: VerdictConfig, overrides: Provider[], run: (url: string, store: EventStore) => Promise<T>): Promise<T> {
  const { app } = await createEngineApp(config, createLogger('silent', 'verdict-bench'), overrides);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return await run(`http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`, app.get<EventStore>(EVENT_STORE));
  } finally {
    await app.close();
  }
}

async function readLoad(url: string, ids: readonly string[], headers: Record<string, string>, seconds: number, connections: number): Promise<{ reads: number; latencies: number[] }> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const id = ids[n++ % ids.length]!;
      const started = performance.now();
      const res = await fetch(`${url}/v1/decisions/${id}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET decision → ${res.status}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return { reads: latencies.length, latencies };
}

async function main(): Promise<void> {
  const options = new Command('bench:access')
    .option('--seconds <n>', 'seconds per round', Number, 10)
    .option('--rounds <n>', 'rounds of each variant (alternated)', Number, 3)
    .option('--connections <n>', 'concurrent readers', Number, 16)
    .option('--decisions <n>', 'decisions seeded first', Number, 2000)
    .parse()
    .opts<{ seconds: number; rounds: number; connections: number; decisions: number }>();
  const root = repoRoot();
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'verdict-access-bench-'));
  const config = loadConfig({ VERDICT_DATA_DIR: path.join(scratch, 'data'), PORT: '0', LOG_LEVEL: 'silent', VERDICT_WARMUP_DECISIONS: '0' });
  try {
    // Seed decisions and an auditor's key with the real engine.
    const { ids, auditor } = await withEngine(config, [], async (url) => {
      const admin = adminAuthHeaders(config.dataDir);
      const requests = simulatedRequests(5, options.decisions);
      const made: string[] = [];
      for (let i = 0; i < requests.length; i += 500) {
        const res = await fetch(`${url}/v1/decisions/batch`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ items: requests.slice(i, i + 500) }) });
        const body = (await res.json()) as { results: { decision?: { decisionId: string } }[] };
        for (const r of body.results) if (r.decision) made.push(r.decision.decisionId);
      }
      const key = await fetch(`${url}/v1/keys`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ client: 'bench-auditor', roles: ['audit'] }) });
      return { ids: made, auditor: ((await key.json()) as { apiKey: string }).apiKey };
    });
    say(`seeded ${ids.length} decisions; ${options.rounds} rounds × 2 variants × ${options.seconds} s, ${options.connections} readers`);
    const headers = { authorization: `Bearer ${auditor}` };
    const rounds: Round[] = [];
    for (let r = 0; r < options.rounds; r++) {
      for (const variant of ['recorded', 'unrecorded'] as const) {
        const round = await withEngine(config, variant === 'recorded' ? [] : [NO_ACCESS_LOG], async (url, store) => {
          await readLoad(url, ids, headers, 1, options.connections); // warm the route and the caches
          const stream = `access-${new Date().toISOString().slice(0, 10)}`;
          const before = (await store.readStream(stream)).length;
          const { reads, latencies } = await readLoad(url, ids, headers, options.seconds, options.connections);
          const summary = latencySummary(latencies);
          const accessRecords = ((await store.readStream(stream)).length) - before;
          return { variant, reads, perSecond: Math.round(reads / options.seconds), p50: summary.p50, p99: summary.p99, accessRecords };
        });
        say(`${variant.padEnd(10)} ${round.perSecond} reads/s, p50 ${round.p50.toFixed(2)} ms, p99 ${round.p99.toFixed(2)} ms, ${round.accessRecords} access records`);
        rounds.push(round);
      }
    }
    const median = (variant: Round['variant'], pick: (r: Round) => number): number => {
      const values = rounds.filter((r) => r.variant === variant).map(pick).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)]!;
    };
    const summary = {
      recorded: { perSecond: median('recorded', (r) => r.perSecond), p50: median('recorded', (r) => r.p50), p99: median('recorded', (r) => r.p99) },
      unrecorded: { perSecond: median('unrecorded', (r) => r.perSecond), p50: median('unrecorded', (r) => r.p50), p99: median('unrecorded', (r) => r.p99) },
    };
    const ratio = summary.recorded.perSecond / summary.unrecorded.perSecond;
    const machine = machineInfo(root);
    const major = process.versions.node.split('.')[0];
    const outDir = path.join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, `access-log-node${major}.json`), `${JSON.stringify({ machine, options, rounds, summary, ratio }, null, 2)}\n`);
    writeFileSync(
      path.join(outDir, `access-log-node${major}.md`),
      [
        `# Access log benchmark (Node ${process.versions.node})`,
        '',
        `${machine.date}, ${machine.cpuModel}, ${machine.nproc} cores, commit ${machine.gitCommit ?? 'unknown'}.`,
        '',
        `An auditor's closed-loop \`GET /v1/decisions/{id}\` (${options.connections} readers, ${options.seconds} s per round, in process with the engine),`,
        'with the access log (an AccessRecorded appended and fsync\'d before each answer) and without it (its append replaced by nothing), alternated.',
        '',
        '| round | variant | reads/s | p50 ms | p99 ms | access records |',
        '|---|---|---|---|---|---|',
        ...rounds.map((r, i) => `| ${Math.floor(i / 2) + 1} | ${r.variant} | ${r.perSecond} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.accessRecords} |`),
        '',
        `Medians: recorded **${summary.recorded.perSecond} reads/s** (p99 ${summary.recorded.p99.toFixed(2)} ms), unrecorded **${summary.unrecorded.perSecond} reads/s** (p99 ${summary.unrecorded.p99.toFixed(2)} ms): recorded reads run at **${ratio.toFixed(2)}×** the unrecorded rate.`,
        '',
      ].join('\n'),
    );
    say(`recorded ${summary.recorded.perSecond}/s vs unrecorded ${summary.unrecorded.perSecond}/s (${ratio.toFixed(2)}×); written bench/results/access-log-node${major}.{json,md}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
