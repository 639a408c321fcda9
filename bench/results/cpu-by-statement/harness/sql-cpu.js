// Preload (node --require) for the engine: CPU of each SQL statement on each thread, written to /tmp/sqlt-<threadId>.txt.
const path = require('path');
let D; try { D = require(require.resolve('better-sqlite3', { paths: [process.cwd()] })); } catch { return; }
const { threadId } = require('worker_threads');
const stats = new Map();
const add = (k, dt, n) => { let s = stats.get(k); if (!s) stats.set(k, s = { t: 0, c: 0, n: 0 }); s.t += dt; s.c++; s.n += n; };
const cpu = () => { const c = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage(); return c.user + c.system; };
const origPrepare = D.prototype.prepare;
D.prototype.prepare = function (sql, ...a) {
  const st = origPrepare.call(this, sql, ...a);
  const key = sql.replace(/\s+/g, ' ').replace(/\(\?(, ?\?)*\)(, ?\(\?(, ?\?)*\))*/g, '(..)').replace(/\$\d+/g, '$').slice(0, 110);
  for (const m of ['run', 'all', 'get']) { const o = st[m]; st[m] = function (...args) { const t = cpu(); try { return o.apply(this, args); } finally { add(key, cpu() - t, 1); } }; }
  const oi = st.iterate; st.iterate = function* (...args) { const it = oi.apply(this, args); while (true) { const t = cpu(); const r = it.next(); add(key + ' [iter]', cpu() - t, 1); if (r.done) return; yield r.value; } };
  return st;
};
const oe = D.prototype.exec; D.prototype.exec = function (sql) { const t = cpu(); try { return oe.call(this, sql); } finally { add('EXEC ' + sql.slice(0, 60), cpu() - t, 1); } };
const dump = () => { const tot = cpu(); require('fs').writeFileSync(`/tmp/sqlt-${threadId}.txt`, `thread cpu total ${(tot/1e6).toFixed(2)} s\n` + [...stats].sort((a, b) => b[1].t - a[1].t).slice(0, 25).map(([k, s]) => `${(s.t / 1e6).toFixed(2)}s\t${s.c}\t${k}`).join('\n')); };
setInterval(dump, 1000).unref(); process.on('exit', dump);
