/**
 * `npm run bench:audit`: sealing and verification throughput of sealed audit periods on SQLite. It appends N
 * DecisionMade-sized events (default 200,000) through the SQLite event store, seals them as the engine's sealer does
 * (10,000 events a seal), then verifies the whole store several times on 1 thread and on worker threads, as
 * `verdict audit verify` does. Writes bench/results/audit-verify-node<major>.{json,md}. Method: docs/benchmarks.md.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { repoRoot } from '@verdict/config';
import { keyIdOf, publicKeyPem } from '@verdict/domain/audit';
import { createSqliteEventStore, NO_STREAM, type EventStore } from '@verdict/event-store';
import { publishSigningKey, SealingCursor, verifyEventStore, WorkerRangeChecker } from '@verdict/audit';
import { machineInfo } from '../machine-info';
import { decisionEvents } from './decision-events';

interface VerifyRun {
  readonly threads: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly clean: boolean;
}

const round = (n: number) => Math.round(n);

async function appendEvents(store: EventStore, count: number): Promise<{ eventBytes: number; appendSeconds: number }> {
  const events = decisionEvents(count);
  const eventBytes = Math.round(events.slice(0, 1000).reduce((n, e) => n + JSON.stringify(e.event.data).length, 0) / 1000);
  const appendStart = performance.now();
  for (let i = 0; i < events.length; i += 5000) {
    await Promise.all(events.slice(i, i + 5000).map((e) => store.appendToStream(e.streamId, [e.event], { expectedRevision: NO_STREAM })));
  }
  return { eventBytes, appendSeconds: (performance.now() - appendStart) / 1000 };
}

async function main(): Promise<void> {
  const opts = new Command('bench:audit')
    .option('--events <n>', 'events to seal and verify', (v) => Number(v), 200_000)
    .option('--runs <n>', 'verifications per thread count', (v) => Number(v), 3)
    .option('--threads <list>', 'thread counts to verify with', (v) => v.split(',').map(Number), [1, 2])
    .parse()
    .opts<{ events: number; runs: number; threads: number[] }>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-bench-audit-'));
  const file = path.join(dir, 'events.sqlite');
  try {
    const store = await createSqliteEventStore({ path: file });
    // Appended from a function of its own, so the 200,000 built events are garbage by the time verification runs (as
    // in the CLI's process): a heap full of them would bill verification for collecting them.
    const { eventBytes, appendSeconds } = await appendEvents(store, opts.events);
    process.stderr.write(`appended ${opts.events} events (${eventBytes} B of data each) in ${appendSeconds.toFixed(1)} s\n`);

    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signer = { privateKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKeyPem(publicKey) };
    await publishSigningKey(store, signer);
    const cursor = new SealingCursor(store, signer, { maxEvents: 10_000 }, null);
    let sealed = 0;
    let seals = 0;
    const sealStart = performance.now();
    for (;;) {
      await cursor.catchUp();
      const outcome = await cursor.seal(new Date());
      if (outcome.kind !== 'sealed') break;
      sealed += outcome.count;
      seals++;
    }
    const sealSeconds = (performance.now() - sealStart) / 1000;
    process.stderr.write(`sealed ${sealed} events in ${seals} seals in ${sealSeconds.toFixed(1)} s\n`);

    const runs: VerifyRun[] = [];
    for (const threads of opts.threads) {
      for (let r = 0; r < opts.runs; r++) {
        const checker = threads > 1 ? new WorkerRangeChecker({ kind: 'sqlite', url: file }, threads) : undefined;
        try {
          const report = await verifyEventStore(store, { checker, concurrency: threads * 2 });
          const run = { threads, events: report.eventsChecked, seconds: report.durationMs / 1000, eventsPerSecond: report.eventsPerSecond, clean: report.clean };
          runs.push(run);
          process.stderr.write(`verify on ${threads} thread(s): ${run.eventsPerSecond} events/s (${run.seconds.toFixed(1)} s, clean: ${run.clean})\n`);
        } finally {
          await checker?.close();
        }
      }
    }
    await store.close();

    const machine = machineInfo(repoRoot());
    const result = {
      machine,
      events: opts.events,
      eventDataBytes: eventBytes,
      sealing: { events: sealed, seals, seconds: sealSeconds, eventsPerSecond: round(sealed / sealSeconds) },
      verification: runs,
    };
    const outDir = path.join(repoRoot(), 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const base = path.join(outDir, `audit-verify-node${process.versions.node.split('.')[0]}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
    const byThreads = opts.threads.map((t) => {
      const r = runs.filter((x) => x.threads === t).map((x) => x.eventsPerSecond);
      return `| verify, ${t} thread(s) | ${r.map((x) => x.toLocaleString('en-US')).join(' / ')} | **${Math.round(r.reduce((a, b) => a + b, 0) / r.length).toLocaleString('en-US')}** |`;
    });
    writeFileSync(
      `${base}.md`,
      [
        `# Sealed audit periods: sealing and verification throughput (Node ${process.versions.node})`,
        '',
        `${machine.date}, ${machine.cpuModel}, ${machine.nproc} vCPUs, commit ${machine.gitCommit ?? 'unknown'}. \`npm run bench:audit -- --events ${opts.events}\`.`,
        '',
        `${opts.events.toLocaleString('en-US')} DecisionMade-sized events (${eventBytes} bytes of data JSON each) in one SQLite event store, sealed 10,000 to a seal.`,
        '',
        '| what | events/s per run | mean |',
        '| --- | ---: | ---: |',
        `| seal (read, hash, tree, sign, append) | ${round(sealed / sealSeconds).toLocaleString('en-US')} | **${round(sealed / sealSeconds).toLocaleString('en-US')}** |`,
        ...byThreads,
        '',
        `Every verification was clean: ${runs.every((r) => r.clean)}.`,
        '',
      ].join('\n'),
    );
    process.stderr.write(`wrote ${base}.md\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
