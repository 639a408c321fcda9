const fs=require('fs');
const p=JSON.parse(fs.readFileSync(process.argv[2]));
const target=process.argv[3]; const depth=+process.argv[4]||3;
const byId=new Map(p.nodes.map(n=>[n.id,n]));
const parent=new Map();
for(const n of p.nodes) for(const c of (n.children||[])) parent.set(c,n.id);
const counts=new Map(); for(const s of p.samples) counts.set(s,(counts.get(s)||0)+1);
const name=n=>`${n.callFrame.functionName||'(anon)'} ${(n.callFrame.url||'').replace(/.*\/(dist|node_modules)\//,'$1/')}:${n.callFrame.lineNumber}`;
const agg=new Map(); let tot=0;
for(const [id,c] of counts){const n=byId.get(id); if(!name(n).startsWith(target)) continue; tot+=c;
 let chain=[]; let cur=parent.get(id); for(let i=0;i<depth&&cur!==undefined;i++){chain.push(name(byId.get(cur))); cur=parent.get(cur);} const k=chain.join(' <- '); agg.set(k,(agg.get(k)||0)+c);}
console.log('total',tot); [...agg].sort((a,b)=>b[1]-a[1]).slice(0,12).forEach(([k,c])=>console.log(c,k));
