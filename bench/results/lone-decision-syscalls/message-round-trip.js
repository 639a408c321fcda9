// Main-thread CPU per round trip to a worker at a fixed rate: MessagePort vs Atomics.waitAsync.
const { Worker } = require('node:worker_threads');
const mode = process.argv[2] ?? 'port';
const rate = Number(process.argv[3] ?? 1000);
const seconds = Number(process.argv[4] ?? 5);
const workerSrc = `
const { parentPort, workerData } = require('node:worker_threads');
const sab = workerData.sab; const flags = new Int32Array(sab);
if (workerData.mode === 'port') {
  parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, values: [[1,2,3,4,5,6,7,8]] }));
} else {
  // flags[0]: request counter from main; flags[1]: reply counter to main
  let seen = 0;
  for (;;) {
    Atomics.wait(flags, 0, seen);
    const now = Atomics.load(flags, 0);
    while (seen < now) { seen++; }
    Atomics.store(flags, 1, seen);
    Atomics.notify(flags, 1);
  }
}`;
const sab = new SharedArrayBuffer(64);
const flags = new Int32Array(sab);
const w = new Worker(workerSrc, { eval: true, workerData: { mode, sab } });
let sent = 0, done = 0;
const request = { transactionId: 'tx-1', amount: 42.5, cardId: 'card-1', merchantId: 'm-7', customerId: 'c-1', country: 'FR', occurredAt: '2026-11-20T14:03:11Z', attributes: { cardCountry: 'FR' } };
let waiting = false;
function ask() {
  if (mode === 'idle') { sent++; done++; return; }
  sent++;
  if (mode === 'port') { w.postMessage({ type: 'values', id: sent, through: 5n, asks: [{ request, names: ['a','b'] }] }); return; }
  Atomics.store(flags, 0, sent); Atomics.notify(flags, 0);
  if (!waiting) wait();
}
function wait() {
  waiting = true;
  const cur = Atomics.load(flags, 1);
  if (cur >= sent) { done = cur; waiting = false; return; }
  const r = Atomics.waitAsync(flags, 1, cur);
  if (r.async) r.value.then(() => { done = Atomics.load(flags, 1); waiting = false; if (done < sent) wait(); });
  else { waiting = false; wait(); }
}
if (mode === 'port') w.on('message', () => done++);
setTimeout(() => {
  const t0 = process.threadCpuUsage(); const start = performance.now();
  const interval = 1000 / rate; let next = start;
  const tick = () => {
    const now = performance.now();
    while (next <= now) { ask(); next += interval; }
    if (now - start < seconds * 1000) setTimeout(tick, Math.max(0, next - performance.now()));
    else setTimeout(() => {
      const t = process.threadCpuUsage(t0);
      const n = sent - base;
      console.log(`${mode} rate ${rate}: ${n} trips, main CPU ${( (t.user + t.system) / n).toFixed(1)} µs/trip (user ${(t.user/n).toFixed(1)}, sys ${(t.system/n).toFixed(1)}), done ${done}`);
      process.exit(0);
    }, 50);
  };
  const base = sent;
  tick();
}, 300);
