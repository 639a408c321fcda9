const root = process.argv[2]; const B = process.argv[3] === 'B';
const D = require(root + '/dist/libs/domain/src/index.js');
const meta = require('/work/main/models/fraud-demo/2.0.0/model.json');
const names0 = meta.features.map(f => typeof f === "string" ? f : f.name); const names = B ? D.withSortedKeys([...names0]) : Object.freeze(names0);
const baseline = B ? D.withSortedKeys([...meta.baseline]) : meta.baseline;

const model = Object.freeze(D.withSortedKeys({ name: 'fraud-demo', version: '2.0.0', sha256: 'x'.repeat(64), inputName: 'input', outputNames: ['label', 'probabilities'], scoreOutput: { name: 'probabilities', column: 1 }, runtime: { name: 'onnxruntime-node', version: '1.30.0', executionProviders: ['cpu'], sessionOptions: { a: 1 } } }));
const policy = D.withSortedKeys(D.definePolicy({ version: 'p', reviewThreshold: 0.012, declineThreshold: 0.1 }));
const request = D.withSortedKeys({ amount: 4.01, attributes: { cardCountry: 'NL' }, cardId: 'ps_A0kFAMETC2EjfpORox-Ktg', channel: 'pos', country: 'NL', currency: 'EUR', customerId: 'ps_fyB9xXJiQnNPdO0bdiqf8w', merchantCategory: '5541', merchantId: 'term-836', occurredAt: '2026-01-01T00:01:11Z', transactionId: 'bench-x' });
const values = new Float32Array(36).map((_, i) => i * 1.5);
const scores = new Float32Array(37).map((_, i) => 0.001 * i);
const personal = { data: 'tuRNJ71nBpoowpnVtPAszsWWiF0rMfmI8HVMep_-xRh_-HTHURZNKl3O0urKlvXQoM5uWLbNmq2Er49OSrqh', iv: 'zRRTH-eQNRY6ExK1', keyId: 'gIk6q4ksEY0CWhDCibQFCQ', subject: 'ps_DM1iLe9xE5Nv6jG2x8qY5g' };
const mk = (i) => D.decide({ decisionId: 'd' + i, request, requestHash: 'h', featureNames: names, featureValues: values, baseline, scores, model,
    modelOutputs: { label: { data: [0], dims: [1], type: 'int64' }, probabilities: { data: [0.99, 0.01], dims: [1, 2], type: 'float32' } },
    policy, decidedAt: '2026-12-06T23:37:08.370Z', timings: { featuresMs: 1, inferenceMs: 2, totalMs: 3 }, deployment: { arm: 'champion', bucket: null, revision: 1 }, history: { asOf: 4n, maxEntities: 1000000 } });
const N = 50000;
function time(label, f) { for (let i = 0; i < N; i++) f(i); const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) f(i); console.log(process.argv[3], label.padEnd(12), (Number(process.hrtime.bigint() - t) / 1e3 / N).toFixed(2)); }
const events = Array.from({ length: N }, (_, i) => mk(i));
const placed = events.map(e => B ? D.withPersonal(e, personal) : { ...e, personal });
const sorted = placed.map(p => D.withSortedKeys(p));
time('decide', mk);
time('place', (i) => B ? D.withPersonal(events[i], personal) : { ...events[i], personal });
time('sortedKeys', (i) => D.withSortedKeys(B ? D.withPersonal(events[i], personal) : { ...events[i], personal }));
time('canonical', (i) => D.canonicalJson(sorted[i]));
time('stringify', (i) => JSON.stringify(sorted[i]));
const hf = (o) => %HasFastProperties(o);
console.log('fast? decide', hf(events[0]), 'placed', hf(placed[0]), 'sorted', hf(sorted[0]), 'features', hf(events[0].features));
