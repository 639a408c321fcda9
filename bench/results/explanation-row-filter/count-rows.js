// How many explanation rows a tree-path filter would leave: a feature whose baseline value takes the same branch as
// its real value at every node of the row's path in every tree cannot change the score, so its row could be skipped.
// Counts, over 20,000 bench requests (history applied as the bench would), the rows run today (features off their
// baseline) and those the filter would keep. Paths name this machine's /work/main; run after a build (dist/).
const fs = require('fs');
const { onnx } = require('/work/main/node_modules/onnx-proto');
const D = require('/work/main/dist/libs/domain/src/index.js');
const { simulatedRequests } = require('/work/main/dist/tools/bench/simulated-requests.js');
const dir = process.argv[2] || '/work/main/models/fraud-demo/2.0.0';
const meta = JSON.parse(fs.readFileSync(dir + '/model.json'));
const model = onnx.ModelProto.decode(fs.readFileSync(dir + '/model.onnx'));
const node = model.graph.node.find(n => n.opType.startsWith('TreeEnsemble'));
const A = Object.fromEntries(node.attribute.map(a => [a.name, a]));
const get = (n) => { const a = A[n]; if (!a) return undefined; if (a.ints && a.ints.length) return a.ints.map(Number); if (a.floats && a.floats.length) return a.floats; if (a.strings && a.strings.length) return a.strings.map(s => Buffer.from(s).toString()); return []; };
const treeIds = get('nodes_treeids'), nodeIds = get('nodes_nodeids'), feat = get('nodes_featureids'), vals = get('nodes_values'), modes = get('nodes_modes'), t = get('nodes_truenodeids'), f = get('nodes_falsenodeids');
console.log(Object.keys(A), 'modes', [...new Set(modes)]);
// index: tree -> nodeId -> i
const idx = new Map();
for (let i = 0; i < treeIds.length; i++) { let m = idx.get(treeIds[i]); if (!m) idx.set(treeIds[i], m = new Map()); m.set(nodeIds[i], i); }
const roots = [...idx.keys()].map(tr => idx.get(tr).get(0));
function needed(x, b) {
  const mark = new Uint8Array(x.length);
  for (const [tr, m] of idx) {
    let i = m.get(0);
    while (modes[i] !== 'LEAF') {
      const j = feat[i], th = vals[i];
      const go = x[j] <= th;
      if ((b[j] <= th) !== go) mark[j] = 1;
      i = m.get(go ? t[i] : f[i]);
    }
  }
  return mark;
}
const features = meta.features.map(n => typeof n === 'string' ? n : n.name);
const plan = new D.FeaturePlan(meta.features);
const baseline = meta.baseline.map(Math.fround);
const history = new D.HistoryState(1000000);
let pos = 0n, nCur = 0, nNew = 0, n = 0;
const reqs = simulatedRequests(42, 20000);
for (const r of reqs) {
  const v = plan.build(r, undefined, 0, plan.usesHistory ? D.historyFeatureValues(history, r, plan.historyNames) : undefined);
  const cur = D.explainedFeatures(v, meta.baseline);
  const mark = needed(v, baseline);
  nCur += cur.length; nNew += cur.filter(i => mark[i]).length; n++;
  if (plan.usesHistory) history.applyDecision(++pos, r, 'approve');
}
console.log({ n, meanCurrent: nCur / n, meanPath: nNew / n, features: features.length });
