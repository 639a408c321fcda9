// Throwaway: what this session's checks add to a decision request, per request, on the main thread.
// Old: occurredAt as a regex and Date.parse; new: real calendar, years 0000–9999, not ahead of the clock; plus the
// body parser's scan for \u0000 and lone-surrogate escapes. Interleaved rounds; node bench/results/session-16/validation-cost.js
const { z } = require('zod');
const { decisionRequestSchema } = require('../../../dist/libs/domain/src/decision-request');
const { unstorableTextAt } = require('../../../dist/apps/engine/src/http/unstorable-text');
const { simulateTransactions } = require('../../../dist/libs/simulator/src');

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const oldSchema = decisionRequestSchema.extend({
  occurredAt: z.string().regex(ISO, 'm').refine((s) => !Number.isNaN(Date.parse(s)), 'r'),
});
const bodies = [];
for (const t of simulateTransactions({ seed: 7, customers: 2000, terminals: 1000, days: 3 })) {
  bodies.push(JSON.stringify(t.request));
  if (bodies.length === 5000) break;
}
const parsed = bodies.map((b) => JSON.parse(b));

function time(label, fn) {
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i % parsed.length);
  return Number(process.hrtime.bigint() - t0) / n;
}
const rows = { old: [], new: [], scan: [] };
for (let round = 0; round < 5; round++) {
  rows.old.push(time('old', (i) => oldSchema.safeParse(parsed[i])));
  rows.new.push(time('new', (i) => decisionRequestSchema.safeParse(parsed[i])));
  rows.scan.push(time('scan', (i) => unstorableTextAt(bodies[i], parsed[i])));
}
const fmt = (a) => a.map((x) => x.toFixed(0)).join(', ');
console.log(`node ${process.version}, ns per request, 5 interleaved rounds of 200,000`);
console.log(`schema, occurredAt as before: ${fmt(rows.old)}`);
console.log(`schema, occurredAt now:       ${fmt(rows.new)}`);
console.log(`body scan (\\u0000, surrogates): ${fmt(rows.scan)}`);
