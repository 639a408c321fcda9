/**
 * `npm run bench:projection-catch-up`: how long the engine's projection thread takes to bring an empty read model up
 * to a log of `--events` decisions (a fresh read model, or an engine that was down a while), and the process's
 * resident memory meanwhile. Appends DecisionMade events shaped as the engine writes them to a fresh SQLite event store,
 * then starts the engine's own projection thread (ProjectionWorkerClient, with the engine's default settings) and
 * times it until its checkpoint reaches the log's head, sampling RSS every 100 ms. Writes
 * bench/results/projection-catch-up.{json,md}. Figures: docs/benchmarks.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { loadConfig, repoRoot } from '@verdict/config';
import { createSqliteEventStore } from '@verdict/event-store';
import { createReadModelDataSource } from '@verdict/read-models';
import { CHECKPOINT_REPORT_INTERVAL_MS, MIN_BATCH_INTERVAL_MS } from '../../../apps/engine/src/projections/inline-projections';
import { ProjectionWorkerClient } from '../../../apps/engine/src/projections/projection-worker-client';
import { fillDecisionLog } from '../decision-log';
import { machineInfo } from '../machine-info';
import { writeResultFiles } from '../result-files';

const say = (line: string) => process.stdout.write(`${line}\n`);
const MB = 1024 ** 2;

async function headOf(file: string): Promise<bigint> {
  const store = await createSqliteEventStore({ path: file });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const o = new Command('run-projection-catch-up')
    .option('--events <n>', 'DecisionMade events in the log', (v) => Number(v), 200_000)
    .option('--out <dir>', 'where projection-catch-up.json and .md go', 'bench/results')
    .parse()
    .opts<{ events: number; out: string }>();
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-projection-catch-up-'));
  try {
    const config = loadConfig({ VERDICT_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent' });
    say(`projection catch-up bench: ${o.events.toLocaleString('en-US')} events`);
    const appendSeconds = await fillDecisionLog(config.eventStore.url, o.events, false, say);
    say(`  log written in ${appendSeconds.toFixed(1)} s (${(statSync(config.eventStore.url).size / MB).toFixed(0)} MB)`);
    const head = await headOf(config.eventStore.url);
    await (await createReadModelDataSource(config.readModels)).destroy(); // migrated, as the engine does before the thread
    // The fill's garbage is collected first, so that V8 handing it back during the run cannot hide growth.
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const client = await ProjectionWorkerClient.start(
      {
        eventStore: config.eventStore,
        readModels: config.readModels,
        batchSize: config.projections.batchSize,
        minBatchIntervalMs: MIN_BATCH_INTERVAL_MS,
        backgroundNice: config.threads.backgroundNice,
        reportIntervalMs: CHECKPOINT_REPORT_INTERVAL_MS,
        driftWindowSeconds: config.drift.windowSeconds,
      },
      pino({ level: 'warn' }),
    );
    // Progress reports while it catches up are part of what is measured: a thread that never yields sends none.
    let reports = 0;
    let ticks = 0;
    let last = 0n;
    const progress = setInterval(() => {
      ticks++;
      if (client.checkpoint !== last) reports++;
      last = client.checkpoint;
    }, 1000);
    try {
      await client.waitForPosition(head, 3_600_000);
    } finally {
      clearInterval(progress);
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    await client.stop();
    const result = {
      date: new Date().toISOString(),
      machine: machineInfo(repoRoot()),
      events: o.events,
      catchUpSeconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(o.events / seconds),
      rssPeakGrowthMb: Math.round((peakRss - rssBefore) / MB),
      secondsWithProgress: reports,
    };
    say(
      `caught up with ${o.events.toLocaleString('en-US')} events in ${result.catchUpSeconds} s (${result.eventsPerSecond.toLocaleString('en-US')} events/s); ` +
        `process RSS peak +${result.rssPeakGrowthMb} MB; the checkpoint moved in ${reports} of its ${ticks} whole seconds`,
    );
    writeResultFiles(path.resolve(repoRoot(), o.out), 'projection-catch-up', result, 'Read models: projection catch-up', [
      '| events in the log | catch-up | events/s | process RSS peak growth | seconds in which the checkpoint moved |',
      '| ---: | ---: | ---: | ---: | ---: |',
      `| ${o.events.toLocaleString('en-US')} | ${result.catchUpSeconds} s | ${result.eventsPerSecond.toLocaleString('en-US')} | ${result.rssPeakGrowthMb} MB | ${reports} of ${ticks} |`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
