const fs=require('fs');
function load(f){const p=JSON.parse(fs.readFileSync(f));const byId=new Map(p.nodes.map(n=>[n.id,n]));const agg=new Map();let total=0;
p.samples.forEach((id,i)=>{const t=p.timeDeltas[i]||0;total+=t;const cf=byId.get(id).callFrame;const k=`${cf.functionName||'(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`;agg.set(k,(agg.get(k)||0)+t);});return {agg,total};}
const [fa,na,fb,nb]=process.argv.slice(2);const A=load(fa),B=load(fb);
const keys=new Set([...A.agg.keys(),...B.agg.keys()]);
const rows=[...keys].map(k=>[k,(A.agg.get(k)||0)/ +na,(B.agg.get(k)||0)/ +nb]);
rows.sort((x,y)=>(y[2]-y[1])-(x[2]-x[1]));
console.log('µs/decision  closed  rate1000  diff');
for(const [k,a,b] of rows.slice(0,45)) console.log(a.toFixed(1).padStart(8),b.toFixed(1).padStart(8),(b-a).toFixed(1).padStart(8),' ',k);
console.log('total', (A.total/na).toFixed(1),(B.total/nb).toFixed(1));
