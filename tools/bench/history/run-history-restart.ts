/**
 * `npm run bench:history-restart`: how long an engine restart takes to build its history state again from the log
 * (docs/features.md). Appends `--events` DecisionMade events shaped as the engine writes them to a fresh SQLite event
 * store, then starts the engine's own history thread (HistoryThread) on it and times it until it has caught up with the
 * log, as `/health/ready` waits for. Writes bench/results/history-restart.{json,md}. Figures: docs/benchmarks.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { repoRoot } from '@verdict/config';
import { HistoryThread } from '../../../apps/engine/src/history/history-thread';
import { fillDecisionLog } from '../decision-log';
import { machineInfo } from '../machine-info';
import { writeResultFiles } from '../result-files';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const o = new Command('run-history-restart')
    .option('--events <n>', 'DecisionMade events in the log', (v) => Number(v), 1_000_000)
    .option('--bound <n>', 'VERDICT_HISTORY_MAX_ENTITIES', (v) => Number(v), 1_000_000)
    .option('--distinct-cards', 'a card and customer of its own for every decision (the worst case for memory)', false)
    .option('--out <dir>', 'where history-restart.json and .md go', 'bench/results')
    .parse()
    .opts<{ events: number; bound: number; out: string; distinctCards: boolean }>();
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-history-restart-'));
  try {
    const file = path.join(dir, 'events.sqlite');
    say(`history restart bench: ${o.events.toLocaleString('en-US')} events, bound ${o.bound.toLocaleString('en-US')}${o.distinctCards ? ', a card per decision' : ''}`);
    const appendSeconds = await fillDecisionLog(file, o.events, o.distinctCards, say);
    say(`  log written in ${appendSeconds.toFixed(1)} s (${(statSync(file).size / 1024 ** 2).toFixed(0)} MB)`);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const thread = await HistoryThread.start({ eventStore: { kind: 'sqlite', url: file }, maxEntities: o.bound, reportIntervalMs: 50, waitLimitMs: 1_000 });
    let peakRss = rssBefore;
    while (!thread.caughtUp) {
      if (thread.failure) throw thread.failure;
      await new Promise((r) => setTimeout(r, 50));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const cards = thread.cards;
    await thread.stop();
    const result = {
      date: new Date().toISOString(),
      machine: machineInfo(repoRoot()),
      events: o.events,
      bound: o.bound,
      distinctCards: o.distinctCards,
      cards,
      catchUpSeconds: Math.round(seconds * 100) / 100,
      eventsPerSecond: Math.round(o.events / seconds),
      rssGrowthMb: Math.round((peakRss - rssBefore) / 1024 ** 2),
    };
    say(`caught up with ${o.events.toLocaleString('en-US')} events in ${result.catchUpSeconds} s (${result.eventsPerSecond.toLocaleString('en-US')} events/s); ${cards.toLocaleString('en-US')} cards held; process RSS +${result.rssGrowthMb} MB`);
    writeResultFiles(path.resolve(repoRoot(), o.out), 'history-restart', result, 'History state: restart catch-up', [
      '| events in the log | bound per kind | cards held | catch-up | events/s | process RSS growth |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${o.events.toLocaleString('en-US')} | ${o.bound.toLocaleString('en-US')} | ${cards.toLocaleString('en-US')} | ${result.catchUpSeconds} s | ${result.eventsPerSecond.toLocaleString('en-US')} | ${result.rssGrowthMb} MB |`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
