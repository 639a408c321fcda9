// Test double of projection.worker.ts for the thread-crash path: starts like the real one, then exits with code 7
// on the first 'appended' hint, as a thread dying mid-run would (native crash, OOM, process.exit in a dependency).
'use strict';
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (message) => {
  if (message.type === 'appended') process.exit(7);
});
parentPort.postMessage({ type: 'started', projection: 'decision-history', checkpoint: 0n });
