const meta = require('/work/main/models/fraud-demo/2.0.0/model.json');
const mk = (freeze) => { const n = meta.features.map(String), b = [...meta.baseline]; return { names: freeze ? Object.freeze(n) : n, baseline: freeze ? Object.freeze(b) : b, values: [...meta.baseline] }; };
for (const f of [false, true, false, true]) { const o = mk(f); for (let i = 0; i < 1e5; i++) JSON.stringify(o); const t = process.hrtime.bigint(); for (let i = 0; i < 2e5; i++) JSON.stringify(o); console.log('frozen', f, (Number(process.hrtime.bigint() - t) / 2e5).toFixed(0), 'ns'); }
const o1 = {}; for (const k of ['a','b','c','d','e','f','g','h','i','j','k','l','m','n','o','p','q','r','s','t','u']) o1[k] = 'x';
const o2 = { a:'x',b:'x',c:'x',d:'x',e:'x',f:'x',g:'x',h:'x',i:'x',j:'x',k:'x',l:'x',m:'x',n:'x',o:'x',p:'x',q:'x',r:'x',s:'x',t:'x',u:'x' };
for (const [l, o] of [['dyn', o1], ['lit', o2], ['dyn', o1], ['lit', o2]]) { for (let i = 0; i < 1e5; i++) JSON.stringify(o); const t = process.hrtime.bigint(); for (let i = 0; i < 5e5; i++) JSON.stringify(o); console.log(l, (Number(process.hrtime.bigint() - t) / 5e5).toFixed(0), 'ns', %HasFastProperties(o)); }
