// self time by function (top N) and by url for a .cpuprofile
const p = JSON.parse(require('fs').readFileSync(process.argv[2]));
const self = new Map(); const byId = new Map(p.nodes.map(n => [n.id, n]));
const dt = new Map(); for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
let total = 0;
for (const n of p.nodes) { const t = dt.get(n.id) ?? 0; total += t; const f = n.callFrame; const k = `${f.functionName || '(anon)'} ${(f.url || '').replace(/.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}`; self.set(k, (self.get(k) ?? 0) + t); }
console.log('total ms', (total / 1000).toFixed(0), 'idle', ((self.get('(idle) :0') ?? 0) / 1000).toFixed(0));
[...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 25)).forEach(([k, v]) => console.log((v / 1000).toFixed(0).padStart(7), (100 * v / total).toFixed(1).padStart(5) + '%', k));
