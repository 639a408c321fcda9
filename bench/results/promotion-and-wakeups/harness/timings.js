const D=require("better-sqlite3"); const db=new D(process.argv[2],{readonly:true});
console.log(db.prepare("select name from sqlite_master where type='table'").all().map(r=>r.name).join(","));
const cols=db.prepare("pragma table_info(events)").all().map(c=>c.name); console.log(cols.join(","));
const rows=db.prepare("select data from events where type='DecisionMade' order by position desc limit 40000").all();
const f=[],i=[],t=[]; for (const r of rows){const d=JSON.parse(r.data); f.push(d.timings.featuresMs); i.push(d.timings.inferenceMs); t.push(d.timings.totalMs);}
const q=(a,p)=>{a=[...a].sort((x,y)=>x-y); return a[Math.floor(p*a.length)].toFixed(2)};
for (const [n,a] of [["features",f],["inference",i],["total",t]]) console.log(n, "p50", q(a,.5), "p90", q(a,.9), "p99", q(a,.99), "mean", (a.reduce((x,y)=>x+y,0)/a.length).toFixed(2));
