// Samples allocations that survive scavenges (kept until a major GC or the end): their allocation stacks.
const { isMainThread } = require('node:worker_threads');
if (isMainThread) { require('fs').appendFileSync('/tmp/hs.log', 'loaded '+process.pid+' '+process.argv[1]+'\n');
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const start = Number(process.env.HS_START ?? 15) * 1000, len = Number(process.env.HS_LEN ?? 15) * 1000;
  const out = process.env.HS_OUT ?? `/tmp/heapsample-${process.pid}.json`;
  const s = new inspector.Session(); s.connect();
  setTimeout(() => {
    s.post('HeapProfiler.startSampling', { samplingInterval: 2048, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.HS_MINOR === "1" }, (e) => {
      if (e) console.error('hs start', e);
      setTimeout(() => s.post('HeapProfiler.stopSampling', (e2, r) => {
        if (e2) console.error('hs stop', e2); else fs.writeFileSync(out, JSON.stringify(r.profile));
        fs.appendFileSync('/tmp/hs.log', 'written '+out+'\n');
      }), len).unref();
    });
  }, start).unref();
}
