// The engine's resident growth over its first large JSONL export, as export-memory.e2e.spec.ts measures it, on the
// built engine (npm run build first) over a seeded log kept in /tmp/exp-data. Run from the repository root:
//   node bench/results/export-memory/first-export-growth.js [node options for the engine]

const path = require('path'); const fs = require('fs');
const ROOT = path.resolve(__dirname, '../../..');
const D = path.join(ROOT, 'dist');
const { seedDecisionLog, measureExport, waitForReadModel, waitForSeal } = require(D + '/tools/bench/export/export-workload');
const { ChildServer } = require(D + '/tools/bench/child-server');
const { freePort } = require(D + '/tools/bench/free-port');
const { adminAuthHeaders } = require(D + '/tools/ops/admin-key');
const MB = 1024 * 1024;
(async () => {
  const dataDir = '/tmp/exp-data';
  const meta = dataDir + '.json';
  let seeded;
  if (!fs.existsSync(meta)) { seeded = await seedDecisionLog(dataDir, 200000); fs.writeFileSync(meta, JSON.stringify(seeded)); } else seeded = JSON.parse(fs.readFileSync(meta));
  const port = await freePort(); const url = `http://127.0.0.1:${port}`;
  const server = await ChildServer.start({ name: 'engine', script: D + '/apps/engine/src/main.js', nodeArgs: process.argv.slice(2), env: { ...process.env, VERDICT_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, cwd: ROOT, logFile: '/tmp/exp-engine.log', readyUrl: `${url}/health/ready` });
  const headers = adminAuthHeaders(dataDir);
  await waitForReadModel(url, BigInt(seeded.lastPosition), 150000, headers);
  await waitForSeal(url, seeded.lastDecisionId, 150000, headers);
  const heap = async () => { const t = await (await fetch(url + '/metrics', { headers })).text(); const g = (n) => { const m = new RegExp('^' + n + ' ([0-9.e+]+)', 'm').exec(t); return m ? (Number(m[1]) / MB).toFixed(0) : '?'; }; return `heapTotal ${g('verdict_nodejs_heap_size_total_bytes')} used ${g('verdict_nodejs_heap_size_used_bytes')} ext ${g('verdict_nodejs_external_memory_bytes')}`; };
  await measureExport(url, 'format=csv&cardId=card-1', server.pid, { headers });
  const smallTo = new Date(Date.parse(seeded.first) + 10000 * 5).toISOString();
  for (let i = 0; i < 2; i++) {
    console.log('before small:', await heap());
    const small = await measureExport(url, `format=jsonl&to=${encodeURIComponent(smallTo)}`, server.pid, { headers });
    console.log('after small:', await heap());
    let peak = { total: 0, spaces: '' };
    const metricsSampler = setInterval(async () => {
      try {
        const t = await (await fetch(url + '/metrics', { headers })).text();
        const total = Number(/^verdict_nodejs_heap_size_total_bytes ([0-9.e+]+)/m.exec(t)?.[1] ?? 0);
        if (total > peak.total) peak = { total, spaces: [...t.matchAll(/^verdict_nodejs_heap_space_size_total_bytes\{space="(\w+)"\} ([0-9.e+]+)/gm)].map((m) => `${m[1]} ${(Number(m[2]) / MB).toFixed(0)}`).join(', ') };
      } catch {}
    }, 250);
    const m = await measureExport(url, 'format=jsonl', server.pid, { pauseMs: 3000, expectedRows: seeded.decisions, headers });
    clearInterval(metricsSampler);
    console.log(`main thread heap at its largest during the export: ${(peak.total / MB).toFixed(0)} MB (${peak.spaces})`);
    console.log('after large:', await heap());
    console.log(`jsonl: RSS ${(m.rssBeforeBytes / MB).toFixed(0)} → peak ${(m.rssPeakBytes / MB).toFixed(0)}; small ${(small.rssBeforeBytes / MB).toFixed(0)} → ${(small.rssPeakBytes / MB).toFixed(0)}; in ${(m.durationMs/1000).toFixed(1)} s; growth ${((m.rssPeakBytes - Math.max(m.rssBeforeBytes, small.rssPeakBytes)) / MB).toFixed(1)} MB`);
  }
  await server.stop();
})().catch((e) => { console.error(e); process.exit(1); });
