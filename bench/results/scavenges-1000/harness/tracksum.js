const s = JSON.parse(require('fs').readFileSync(process.argv[2]));
const m = s.snapshot.meta; const nf = m.node_fields.length;
const iT = m.node_fields.indexOf('trace_node_id'), iS = m.node_fields.indexOf('self_size'), iN = m.node_fields.indexOf('name'), iTy = m.node_fields.indexOf('type');
const tf = m.trace_function_info_fields; const tff = tf.length; const fi = s.trace_function_infos; const str = s.strings;
const fnName = (idx) => { const b = idx * tff; const name = str[fi[b + tf.indexOf('name')]]; const script = str[fi[b + tf.indexOf('script_name')]]; const line = fi[b + tf.indexOf('line')]; return `${name || '(anon)'} ${String(script).replace(/.*\/(dist|node_modules)\//, '$1/')}:${line}`; };
// trace tree: [id, function_info_index, count, size, [children]]
const tn = m.trace_node_fields; const parent = new Map(); const fnOf = new Map();
function walk(arr, par) { for (let i = 0; i < arr.length; i += tn.length) { const id = arr[i], f = arr[i + 1], ch = arr[i + 4]; parent.set(id, par); fnOf.set(id, f); walk(ch, id); } }
walk(s.trace_tree, 0);
const agg = new Map(); let total = 0;
const N = s.nodes;
for (let i = 0; i < N.length; i += nf) { const t = N[i + iT]; if (!t) continue; const sz = N[i + iS]; total += sz;
  const frames = []; let c = t; while (c && frames.length < 40) { frames.push(fnName(fnOf.get(c))); c = parent.get(c); }
  const own = frames.filter((f) => /dist\/(apps|libs)\//.test(f)).slice(0, 2);
  const k = `${m.node_types[0][N[i + iTy]]}:${String(str[N[i + iN]]).slice(0, 30)} @ ${frames[0]} << ${own.join(' < ')}`;
  agg.set(k, (agg.get(k) || 0) + sz); }
console.log('tracked live bytes', total);
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(String(v).padStart(9), k);
