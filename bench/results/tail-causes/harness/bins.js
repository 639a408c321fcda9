// p50/p99 per 1 s bin of latency (from schedule), plus decomposition of slow requests
const recs = JSON.parse(require('fs').readFileSync(process.argv[2])); const from = +(process.argv[3] || 10);
recs.sort((a, b) => a[1] - b[1]);
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)] ?? 0; };
const bins = new Map(); for (const r of recs) { const b = Math.floor(r[1] / 1000); if (!bins.has(b)) bins.set(b, []); bins.get(b).push(r); }
let line = ''; for (const [b, rs] of bins) line += `${b}:${pct(rs.map(r => r[3]), 50).toFixed(1)}/${pct(rs.map(r => r[3]), 99).toFixed(1)} `;
console.log(line);
const meas = recs.filter(r => r[1] >= from * 1000); const lat = meas.map(r => r[3]);
console.log('measured n', meas.length, 'p50', pct(lat, 50), 'p99', pct(lat, 99), 'p99.9', pct(lat, 99.9), 'max', Math.max(...lat));
const p99 = pct(lat, 99); const slow = meas.filter(r => r[3] >= p99);
const avg = (rs, k) => (rs.reduce((a, r) => a + r[k], 0) / rs.length).toFixed(2);
console.log('all: sendLate', avg(meas, 2), 'decide', avg(meas, 4), 'append', avg(meas, 5), 'other', (avg(meas, 3) - avg(meas, 4) - avg(meas, 5) - avg(meas, 2)).toFixed(2));
console.log('slow (>=p99):', slow.length, 'sendLate', avg(slow, 2), 'decide', avg(slow, 4), 'append', avg(slow, 5), 'lat', avg(slow, 3));
console.log('slow decide p50/p99 all', pct(meas.map(r=>r[4]),50), pct(meas.map(r=>r[4]),99), 'append p50/p99 all', pct(meas.map(r=>r[5]),50), pct(meas.map(r=>r[5]),99));
