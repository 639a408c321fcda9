// self time by function and by package/file, from a .cpuprofile
const p = JSON.parse(require('fs').readFileSync(process.argv[2]));
const dt = {}; const byId = new Map(p.nodes.map(n => [n.id, n]));
const counts = new Map(); for (const s of p.samples) counts.set(s, (counts.get(s) || 0) + 1);
const total = p.samples.length; const self = new Map(); const byFile = new Map();
for (const [id, c] of counts) { const n = byId.get(id); const cf = n.callFrame; const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, 'nm:').replace(/.*\/dist\//, '')}:${cf.lineNumber}`;
  self.set(key, (self.get(key) || 0) + c);
  let f = cf.url ? cf.url.replace(/.*node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*/, 'nm:$1').replace(/.*\/dist\/(apps|libs)\/([^/]+)\/.*/, '$1/$2').replace(/^node:.*/, 'node-internal') : (cf.functionName || '(native)');
  byFile.set(f, (byFile.get(f) || 0) + c); }
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, c]) => `${(100 * c / total).toFixed(1).padStart(5)}% ${n}`).join('\n');
console.log('samples', total); console.log(top(byFile, 25)); console.log('---'); console.log(top(self, 40));
