// Sums a sampling heap profile by the top N user frames of each allocation stack.
const p = JSON.parse(require('fs').readFileSync(process.argv[2]));
const depth = Number(process.argv[3] ?? 4);
const byKey = new Map(); let total = 0;
function walk(node, stack) {
  const f = node.callFrame; const here = [...stack, `${f.functionName || '(anon)'} ${(f.url||'').replace(/.*\/(dist|node_modules)\//,'$1/')}:${f.lineNumber+1}`];
  if (node.selfSize) { total += node.selfSize; const key = here.filter(s => !s.startsWith('(root)')).slice(-depth).reverse().join('  <  ');
    byKey.set(key, (byKey.get(key) ?? 0) + node.selfSize); }
  for (const c of node.children) walk(c, here);
}
walk(p.head, []);
console.log('total KB', (total/1024).toFixed(0));
[...byKey].sort((a,b)=>b[1]-a[1]).slice(0, Number(process.argv[4] ?? 40)).forEach(([k,v]) => console.log((v/1024).toFixed(0).padStart(7), k));
