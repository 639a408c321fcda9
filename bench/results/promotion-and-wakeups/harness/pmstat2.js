const { Worker, isMainThread } = require('node:worker_threads');
const v8 = require('node:v8');
if (isMainThread) {
  const stats = new Map();
  const orig = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m, t) {
    const k = m?.type ?? m?.method ?? '?';
    const t0 = process.hrtime.bigint(); let size = 0; try { size = v8.serialize(m).length; } catch {} const t1 = process.hrtime.bigint();
    const r = orig.call(this, m, t); const t2 = process.hrtime.bigint();
    const s = stats.get(k) ?? { n: 0, ser: 0, post: 0, size: 0 }; s.n++; s.ser += Number(t1 - t0); s.post += Number(t2 - t1); s.size += size; stats.set(k, s); return r;
  };
  process.on('exit', () => require('fs').writeFileSync('/tmp/pmstat2.txt', [...stats].sort((a, b) => b[1].post - a[1].post).map(([k, s]) => `${k} n=${s.n} v8.serialize=${(s.ser / s.n / 1e3).toFixed(1)}us post=${(s.post / s.n / 1e3).toFixed(1)}us bytes=${(s.size / s.n).toFixed(0)}`).join('\n')));
}
