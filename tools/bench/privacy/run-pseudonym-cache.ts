/**
 * `npm run bench:pseudonym-cache`: what a pseudonym costs on the decision path when its value is new, before and after
 * the pseudonym cache is full. Asks the Pseudonymizer for `--values` distinct card ids (none repeats, so every call is
 * a miss: an HMAC, and once the cache holds `--cache` inputs, an eviction) and reports the mean microseconds a call
 * for each slice of `--slice` calls. A miss should cost the same whether or not the cache is full.
 * Writes bench/results/pseudonym-cache.{json,md}. Figures: docs/benchmarks.md.
 */
import path from 'node:path';
import { Command } from 'commander';
import { repoRoot } from '@verdict/config';
import { deriveKeys, Pseudonymizer } from '@verdict/domain';
import { machineInfo } from '../machine-info';
import { writeResultFiles } from '../result-files';

const say = (line: string) => process.stdout.write(`${line}\n`);

function main(): void {
  const o = new Command('run-pseudonym-cache')
    .option('--cache <n>', 'inputs the cache holds (the engine default)', (v) => Number(v), 100_000)
    .option('--values <n>', 'distinct values asked for', (v) => Number(v), 400_000)
    .option('--slice <n>', 'calls per reported slice', (v) => Number(v), 50_000)
    .option('--out <dir>', 'where pseudonym-cache.json and .md go', 'bench/results')
    .parse()
    .opts<{ cache: number; values: number; slice: number; out: string }>();
  const pseudonyms = new Pseudonymizer(deriveKeys(Buffer.alloc(32, 7)).pseudonyms, o.cache);
  const slices: { through: number; cacheFull: boolean; microsPerCall: number }[] = [];
  let started = performance.now();
  for (let i = 1; i <= o.values; i++) {
    pseudonyms.field('cardId', `card-${i}`);
    if (i % o.slice !== 0) continue;
    const now = performance.now();
    slices.push({ through: i, cacheFull: i > o.cache, microsPerCall: Math.round(((now - started) * 1000 * 100) / o.slice) / 100 });
    say(`  ${i.toLocaleString('en-US')} values: ${slices[slices.length - 1]?.microsPerCall} µs a call${i > o.cache ? ' (cache full: each call evicts)' : ''}`);
    started = now;
  }
  const result = { date: new Date().toISOString(), machine: machineInfo(repoRoot()), cache: o.cache, values: o.values, slices };
  writeResultFiles(path.resolve(repoRoot(), o.out), 'pseudonym-cache', result, 'Pseudonym cache: the cost of a new value', [
    `Cache of ${o.cache.toLocaleString('en-US')} inputs, ${o.values.toLocaleString('en-US')} distinct card ids, every call a miss.`,
    '',
    '| values asked | cache full | µs a call |',
    '| ---: | --- | ---: |',
    ...slices.map((s) => `| ${s.through.toLocaleString('en-US')} | ${s.cacheFull ? 'yes' : 'no'} | ${s.microsPerCall} |`),
  ]);
}

main();
