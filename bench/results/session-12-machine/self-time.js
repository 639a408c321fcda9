const fs=require('fs');
const p=JSON.parse(fs.readFileSync(process.argv[2]));
const byId=new Map(p.nodes.map(n=>[n.id,n]));
const counts=new Map();
for(const s of p.samples){counts.set(s,(counts.get(s)||0)+1)}
const total=p.samples.length;
const self=new Map();
for(const [id,c] of counts){const n=byId.get(id);const cf=n.callFrame;const k=`${cf.functionName||'(anon)'} ${(cf.url||'').replace(/.*\/(dist|node_modules)\//,'$1/')}:${cf.lineNumber}`;self.set(k,(self.get(k)||0)+c)}
const idle=[...self].filter(([k])=>k.startsWith('(idle)')).reduce((a,[,c])=>a+c,0);
console.log('samples',total,'idle',idle);
[...self].sort((a,b)=>b[1]-a[1]).slice(0,+process.argv[3]||45).forEach(([k,c])=>console.log((100*c/(total-idle)).toFixed(2)+'%',k));
