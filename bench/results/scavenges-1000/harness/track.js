const inspector = require('inspector'); const fs = require('fs');
const session = new inspector.Session(); session.connect();
let step = 0;
process.on('SIGUSR2', () => {
  step++;
  if (step === 1) { session.post('HeapProfiler.enable'); session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true }, (e) => console.error('TRACK START', e)); return; }
  if (step === 2) {
    const fd = fs.openSync('/tmp/snaps/track.heapsnapshot', 'w');
    session.on('HeapProfiler.addHeapSnapshotChunk', (m) => fs.writeSync(fd, m.params.chunk));
    session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, (e) => { fs.closeSync(fd); console.error('SNAP DONE', e); session.post('HeapProfiler.stopTrackingHeapObjects'); });
  }
});
