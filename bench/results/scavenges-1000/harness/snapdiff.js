const fs = require('fs');
function load(f) {
  const s = JSON.parse(fs.readFileSync(f));
  const m = s.snapshot.meta; const nf = m.node_fields.length; const ef = m.edge_fields.length;
  const types = m.node_types[0]; const etypes = m.edge_types[0];
  return { s, nf, ef, types, etypes, iType: m.node_fields.indexOf('type'), iName: m.node_fields.indexOf('name'), iId: m.node_fields.indexOf('id'), iSize: m.node_fields.indexOf('self_size'), iEc: m.node_fields.indexOf('edge_count'), eType: m.edge_fields.indexOf('type'), eName: m.edge_fields.indexOf('name_or_index'), eTo: m.edge_fields.indexOf('to_node') };
}
const a = load(process.argv[2]);
let maxId = 0; for (let i = 0; i < a.s.nodes.length; i += a.nf) maxId = Math.max(maxId, a.s.nodes[i + a.iId]);
a.s = null;
const b = load(process.argv[3]);
const N = b.s.nodes, E = b.s.edges, S = b.s.strings, nf = b.nf;
const count = N.length / nf;
// retainers: first retainer per node (non-weak)
const firstRet = new Int32Array(count).fill(-1); const retEdgeName = new Array(count);
let e = 0;
for (let n = 0; n < count; n++) {
  const ec = N[n * nf + b.iEc];
  for (let k = 0; k < ec; k++, e += b.ef) {
    const et = b.etypes[E[e + b.eType]]; if (et === 'weak' || et === 'shortcut') continue;
    const to = E[e + b.eTo] / nf;
    if (firstRet[to] === -1) { firstRet[to] = n; retEdgeName[to] = (et === 'element' || et === 'hidden') ? `[${E[e + b.eName]}]` : S[E[e + b.eName]]; }
  }
}
const name = (n) => `${b.types[N[n * nf + b.iType]]}:${String(S[N[n * nf + b.iName]]).slice(0, 60)}`;
const agg = new Map(); const byRet = new Map(); let total = 0, tn = 0;
for (let n = 0; n < count; n++) {
  if (N[n * nf + b.iId] <= maxId) continue;
  const size = N[n * nf + b.iSize]; total += size; tn++;
  const k = name(n); const x = agg.get(k) || [0, 0]; x[0]++; x[1] += size; agg.set(k, x);
  // climb to first old (id<=maxId) ancestor
  let cur = n, path = []; for (let d = 0; d < 8 && cur !== -1; d++) { const r = firstRet[cur]; if (r === -1) break; path.push(retEdgeName[cur]); cur = r; if (N[cur * nf + b.iId] <= maxId) break; }
  const rk = cur === -1 ? '(none)' : `${name(cur)} .${path.reverse().slice(0,3).join('.')}`;
  const y = byRet.get(rk) || [0, 0]; y[0]++; y[1] += size; byRet.set(rk, y);
}
console.log('new objects', tn, 'bytes', total);
for (const [k, [c, sz]] of [...agg].sort((x, y) => y[1][1] - x[1][1]).slice(0, 30)) console.log(String(sz).padStart(10), String(c).padStart(7), k);
console.log('--- by old retainer');
for (const [k, [c, sz]] of [...byRet].sort((x, y) => y[1][1] - x[1][1]).slice(0, 30)) console.log(String(sz).padStart(10), String(c).padStart(7), k);
