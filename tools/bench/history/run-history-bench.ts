/**
 * `npm run bench:history`: the memory and apply speed of the history state (libs/domain/src/history) for 1,000,000
 * cards. Applies synthetic decisions in time order over 30 days: every card makes `--per-card` transactions (so the
 * card, its customer and one of 20,000 terminals each get a history; a device id on half of them, an IP on a third),
 * one in fifty declined. Heap measured after a full GC before and after, in the same process (run with
 * --expose-gc; the npm script does). Writes bench/results/history.{json,md}. Figures: docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { repoRoot } from '@verdict/config';
import { HISTORY_ENTITY_KINDS, HISTORY_FEATURES, HistoryState, type DecisionRequest } from '@verdict/domain';
import { machineInfo } from '../machine-info';
import { prng } from '../prng';

const say = (line: string) => process.stdout.write(`${line}\n`);
const DAY = 86_400_000;
const START = Date.parse('2026-10-01T00:00:00Z');
const COUNTRIES = ['DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'US', 'GB'];

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function main(): void {
  const o = new Command('run-history-bench')
    .option('--cards <n>', 'cards', (v) => Number(v), 1_000_000)
    .option('--per-card <n>', 'transactions per card over 30 days', (v) => Number(v), 3)
    .option('--bound <n>', 'entities held per kind at most (default: twice the cards, so nothing is evicted)', (v) => Number(v))
    .option('--out <dir>', 'where history.json and history.md go', 'bench/results')
    .parse()
    .opts<{ cards: number; perCard: number; bound?: number; out: string }>();
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc (npm run bench:history does)');
  const random = prng(7);
  const total = o.cards * o.perCard;
  say(`history bench: ${o.cards.toLocaleString('en-US')} cards × ${o.perCard} transactions = ${total.toLocaleString('en-US')} decisions over 30 days`);
  // Times first, sorted: the log applies decisions roughly in time order.
  const times = Float64Array.from({ length: total }, () => START + random() * 30 * DAY).sort();
  const before = heapMb();
  const state = new HistoryState(o.bound ?? 2 * o.cards);
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const card = Math.floor(random() * o.cards);
    const request: DecisionRequest = {
      transactionId: `tx-${i}`,
      occurredAt: new Date(times[i] as number).toISOString(),
      amount: Math.round(random() * 50_000) / 100,
      currency: 'EUR',
      cardId: `card-${card}`,
      customerId: `cust-${card}`,
      merchantId: `term-${Math.floor(random() * 20_000)}`,
      country: COUNTRIES[Math.floor(random() * COUNTRIES.length)],
      ...(card % 2 === 0 ? { deviceId: `dev-${card}` } : {}),
      ...(card % 3 === 0 ? { ip: `10.${card % 256}.${(card >> 8) % 256}.${(card >> 16) % 256}` } : {}),
    };
    state.applyDecision(BigInt(i + 1), request, random() < 0.02 ? 'decline' : 'approve');
  }
  const applyMs = performance.now() - started;
  const after = heapMb();
  const held = Object.fromEntries(HISTORY_ENTITY_KINDS.map((k) => [k, state.size(k)]));
  // Feature computation for a sample of requests at the end of the period.
  const probes = 100_000;
  const at = START + 30 * DAY;
  const featureStart = performance.now();
  let checksum = 0;
  for (let i = 0; i < probes; i++) {
    const card = Math.floor(random() * o.cards);
    const request: DecisionRequest = { transactionId: `p-${i}`, occurredAt: new Date(at).toISOString(), amount: 10, currency: 'EUR', cardId: `card-${card}`, customerId: `cust-${card}`, merchantId: `term-${card % 20_000}` };
    for (const f of HISTORY_FEATURES) checksum += f.compute(state, request, at);
  }
  const featureMs = performance.now() - featureStart;
  const result = {
    machine: machineInfo(repoRoot()),
    cards: o.cards,
    bound: state.maxEntities,
    decisions: total,
    entities: held,
    heapMb: { before: Math.round(before), after: Math.round(after), held: Math.round(after - before) },
    bytesPerCard: Math.round(((after - before) * 1024 * 1024) / o.cards),
    applyPerSecond: Math.round(total / (applyMs / 1000)),
    featuresPerDecisionUs: Math.round(((featureMs * 1000) / probes) * 10) / 10,
    features: HISTORY_FEATURES.length,
    checksum,
  };
  say(`held: ${JSON.stringify(held)}`);
  say(`heap: ${result.heapMb.before} MB → ${result.heapMb.after} MB (${result.heapMb.held} MB held, ${result.bytesPerCard} bytes per card with its customer, device, ip and share of terminals)`);
  say(`apply: ${result.applyPerSecond.toLocaleString('en-US')} decisions/s; features: ${result.featuresPerDecisionUs} µs per decision for all ${result.features}`);
  const outDir = path.resolve(repoRoot(), o.out);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'history.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(
    path.join(outDir, 'history.md'),
    [
      '# History state: memory and speed',
      '',
      `${result.machine.date} · commit ${result.machine.gitCommit ?? 'n/a'} · Node ${result.machine.node}`,
      '',
      `${o.cards.toLocaleString('en-US')} cards × ${o.perCard} transactions over 30 days (${total.toLocaleString('en-US')} decisions), each card with its customer, a device on half, an IP on a third, 20,000 terminals.`,
      '',
      `- Entities held: ${Object.entries(held).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`,
      `- Heap held: **${result.heapMb.held} MB** (${result.bytesPerCard} bytes per card, with its share of the other entities)`,
      `- Apply: **${result.applyPerSecond.toLocaleString('en-US')} decisions/s** (one thread)`,
      `- All ${result.features} features of one request: **${result.featuresPerDecisionUs} µs**`,
      '',
    ].join('\n'),
  );
}

main();
