// Open loop with per-request server-timing; engine started here. usage: node trace.js OUT [rate1:secs1,rate2:secs2] [node args...]
const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs'); const os = require('node:os'); const path = require('node:path');
const root = process.env.REPO || '/work/main';
const { simulatedRequests } = require(root + '/dist/tools/bench/simulated-requests');
const { RequestPool } = require(root + '/dist/tools/bench/request-pool');
const { adminAuthHeaders } = require(root + '/dist/tools/ops/admin-key');
const out = process.argv[2]; const phases = (process.argv[3] || '500:10,1000:20').split(',').map(p => p.split(':').map(Number));
const nodeArgs = process.argv.slice(4);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-'));
const port = 20000 + Math.floor(Math.random() * 20000);
const env = {}; for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VERDICT_') && !['PORT','HOST','NODE_OPTIONS'].includes(k)) env[k] = v;
Object.assign(env, { VERDICT_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), ...JSON.parse(process.env.EXTRA_ENV || '{}') });
const child = spawn(process.execPath, [...nodeArgs, root + '/dist/apps/engine/src/main.js'], { env, stdio: ['ignore', fs.openSync(out + '.engine.log', 'w'), 'inherit'] });
const pool = RequestPool.fromRequests(simulatedRequests(7, 20000), 'trace' + Date.now());
async function ready() { for (;;) { try { const ok = await new Promise(r => http.get(`http://127.0.0.1:${port}/health/ready`, res => { res.resume(); r(res.statusCode === 200); }).on('error', () => r(false))); if (ok) return; } catch {} await new Promise(r => setTimeout(r, 200)); } }
(async () => {
  await ready();
  const headers = { 'content-type': 'application/json', ...adminAuthHeaders(dataDir) };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const recs = []; let seq = 0; let pending = 0;
  const t0 = performance.now() + 50; let due = t0; const sched = [];
  for (const [rate, secs] of phases) { for (let i = 0; i < rate * secs; i++) { sched.push(due); due += 1000 / rate; } }
  let next = 0; let doneAll;
  const finished = new Promise(r => doneAll = r);
  function send(i) {
    const { body } = pool.next(); const s = sched[i]; const sent = performance.now(); pending++;
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/decisions', method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, res => {
      res.resume(); res.on('end', () => { const done = performance.now(); const st = res.headers['server-timing'] || '';
        const m = /decide;dur=([0-9.]+), append;dur=([0-9.]+)/.exec(st);
        recs.push([i, +(s - t0).toFixed(2), +(sent - s).toFixed(2), +(done - s).toFixed(2), m ? +m[1] : -1, m ? +m[2] : -1, res.statusCode]);
        if (--pending === 0 && next >= sched.length) doneAll(); });
    });
    req.on('error', e => { recs.push([i, s - t0, 0, -1, -1, -1, 0]); if (--pending === 0 && next >= sched.length) doneAll(); });
    req.end(body);
  }
  const tick = () => { const now = performance.now(); while (next < sched.length && sched[next] <= now) send(next++); if (next < sched.length) setTimeout(tick, 1); };
  tick();
  await finished;
  fs.writeFileSync(out + '.json', JSON.stringify(recs));
  const m = await fetch(`http://127.0.0.1:${port}/metrics`, { headers }); fs.writeFileSync(out + '.metrics.txt', await m.text());
  child.kill('SIGTERM');
  console.log('done', recs.length);
})();
