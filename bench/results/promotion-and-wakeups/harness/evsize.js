const D=require("better-sqlite3"); const db=new D("/tmp/verdict-bench-iF9cqj/events.sqlite",{readonly:true});
console.log(db.prepare("select avg(length(data)) a, avg(length(metadata)) m, count(*) n from events where type='DecisionMade'").get());
const r=db.prepare("select data from events where type='DecisionMade' limit 1").get(); console.log(r.data.slice(0,4000));
const t0=performance.now(); const rows=db.prepare("select data from events limit 20000").all(); const t1=performance.now(); for (const x of rows) JSON.parse(x.data); const t2=performance.now(); console.log("read µs/event", ((t1-t0)*1000/20000).toFixed(1), "parse µs/event", ((t2-t1)*1000/20000).toFixed(1));
