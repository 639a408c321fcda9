// onnxruntime-node run cost by batch size: node onnx-rows.js MODEL (run from the repository root).
const ort = require('onnxruntime-node');
(async () => {
  const s = await ort.InferenceSession.create(process.argv[2], { executionMode: 'sequential', intraOpNumThreads: Number(process.argv[3] || 1), interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  console.log(s.inputNames, s.outputNames, JSON.stringify(s.inputMetadata));
  const dim = s.inputMetadata[0].shape[1];
  for (const n of [1, 20, 100, 500]) {
    const data = new Float32Array(n * dim).map(() => Math.random());
    const feeds = { [s.inputNames[0]]: new ort.Tensor('float32', data, [n, dim]) };
    for (let i = 0; i < 200; i++) await s.run(feeds, [s.outputNames[s.outputNames.length - 1]]);
    const t = process.hrtime.bigint(); const cpu = process.cpuUsage();
    const R = 2000 / Math.sqrt(n) | 0;
    for (let i = 0; i < R; i++) await s.run(feeds, [s.outputNames[s.outputNames.length-1]]);
    const dt = Number(process.hrtime.bigint() - t) / 1e3 / R; const c = process.cpuUsage(cpu);
    console.log(n, 'rows: wall µs/run', dt.toFixed(1), 'µs/row', (dt / n).toFixed(2), 'cpu µs/run', ((c.user + c.system) / R).toFixed(1));
  }
})();
