import { DECISION_MADE, decisionIdFor, decisionStreamId, sha256Hex, canonicalJson, type DecisionMadeV2 } from '@verdict/domain';
import type { EventData } from '@verdict/event-store';
import { simulatedRequests } from '../simulated-requests';

const FEATURES = ['amount', 'log_amount', 'hour', 'day_of_week', 'is_weekend', 'is_night', 'channel_pos', 'channel_ecom', 'channel_atm', 'channel_moto', 'is_foreign', 'country_risk', 'mcc_code', 'mcc_high_risk', 'has_customer', 'has_device', 'has_ip', 'attribute_count', 'amount_round'];

/**
 * DecisionMade v2 events shaped and sized as the engine writes them (about 2 KB of JSON: the request, 19 features,
 * the model and runtime snapshot, outputs, reasons, baseline, timings), over simulated transactions. Built before a
 * run so building is never measured. `offset` continues a sequence made in chunks (transaction ids stay unique).
 * `distinctCards` gives every decision a card and customer of its own (the simulated pool repeats a few thousand).
 */
export function decisionEvents(count: number, seed = 7, offset = 0, distinctCards = false): { streamId: string; event: EventData }[] {
  const requests = simulatedRequests(seed, Math.min(offset + count, 20_000));
  const out: { streamId: string; event: EventData }[] = [];
  for (let i = offset; i < offset + count; i++) {
    const base = requests[i % requests.length];
    const request = { ...base, transactionId: `${base.transactionId}-${i}`, ...(distinctCards ? { cardId: `card-${i}`, customerId: `customer-${i}` } : {}) };
    const values = FEATURES.map((_, j) => Math.fround(((i * 31 + j * 17) % 1000) / 37));
    const score = Math.fround((i % 997) / 997);
    const data: DecisionMadeV2 = {
      schemaVersion: 2,
      decisionId: decisionIdFor(request.transactionId),
      transactionId: request.transactionId,
      request,
      requestHash: sha256Hex(canonicalJson(request)),
      features: { names: FEATURES, values },
      model: {
        name: 'fraud-demo',
        version: '1.0.0',
        sha256: '0e5d19a1cb7ec1751bd797f7026e4005e3e10784ff56b26d435d3ebe2f7dad27',
        inputName: 'input',
        outputNames: ['label', 'probabilities'],
        scoreOutput: { name: 'probabilities', column: 1 },
        runtime: { name: 'onnxruntime-node', version: '1.30.0', executionProviders: ['cpu'], sessionOptions: { intraOpNumThreads: 1, graphOptimizationLevel: 'all' } },
      },
      modelOutputs: { label: { type: 'int64', dims: [1], data: [score >= 0.5 ? '1' : '0'] }, probabilities: { type: 'float32', dims: [1, 2], data: [1 - score, score] } },
      score,
      policy: { version: 'fraud-demo-1', reviewThreshold: 0.019, declineThreshold: 0.148 },
      outcome: score >= 0.148 ? 'decline' : score >= 0.019 ? 'review' : 'approve',
      reasons: FEATURES.slice(0, 5).map((feature, j) => ({ feature, value: values[j], contribution: Math.fround((j + 1) / (i + 7)) })),
      explanation: { method: 'baseline-substitution', baseline: FEATURES.map((_, j) => j / 10) },
      decidedAt: new Date(Date.UTC(2026, 10, 1) + i * 50).toISOString(),
      timings: { featuresMs: 0.041, inferenceMs: 0.912, totalMs: 1.204 },
      deployment: { revision: 1, arm: 'champion', bucket: null },
    };
    const streamId = decisionStreamId(request.transactionId);
    out.push({ streamId, event: { id: data.decisionId, type: DECISION_MADE, data: data as unknown as Record<string, unknown>, metadata: { correlationId: `c-${i}`, causationId: `c-${i}`, schemaVersion: 2, producer: 'verdict-engine/0.1.0' } } });
  }
  return out;
}
