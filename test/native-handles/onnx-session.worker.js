// Worker thread for thread-churn.ts: creates an onnxruntime session on the demo model, runs one batch, releases the
// session and reports. Plain JS so the thread needs no TypeScript hook.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ort = require('onnxruntime-node');

async function run() {
  const session = await ort.InferenceSession.create(workerData.modelPath, { intraOpNumThreads: 1 });
  const width = session.inputMetadata?.[0]?.shape?.[1] ?? 12;
  const rows = 8;
  const input = new ort.Tensor('float32', new Float32Array(rows * width).fill(1), [rows, width]);
  const outputs = await session.run({ [session.inputNames[0]]: input }, ['probabilities']);
  if (outputs.probabilities.dims[0] !== rows) throw new Error('unexpected output shape');
  await session.release();
}

run().then(
  () => parentPort.postMessage({ ok: true }),
  (e) => parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) }),
);
