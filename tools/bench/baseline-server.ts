/**
 * The bare baseline for `npm run bench`: the least a service must do to give the engine's answer with the same
 * model — validate the request, compute the same features, run the same batched ONNX call (the real row plus the
 * baseline-substitution rows the engine scores for its reasons), apply the policy — and nothing else: no event,
 * no idempotency lookup, no projection, no framework beyond Fastify. The engine's throughput is quoted against it.
 * For a model that reads history features it keeps the history in memory, on the request's thread: each answered
 * request joins it (no log, no thread, no recomputability). Like the engine, it runs explanation rows only for the
 * features that differ from the baseline (a feature at its baseline contributes 0).
 *
 * Reads the same environment as the engine (PORT, HOST, VERDICT_MODEL_*, thresholds) through loadConfig().
 */
import Fastify from 'fastify';
import { loadConfig } from '@verdict/config';
import {
  MAX_REASONS,
  applyPolicy,
  compactExplanationRows,
  definePolicy,
  expandExplanationScores,
  explainedFeatures,
  topReasons,
  validateDecisionRequest,
  FeaturePlan,
  HistoryState,
  historyFeatureValues,
} from '@verdict/domain';
import { OnnxModelRuntime } from '@verdict/model-runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const model = await OnnxModelRuntime.load({
    path: config.model.path,
    name: config.model.name,
    version: config.model.version,
    features: config.model.features,
    baseline: config.model.baseline,
  });
  const policy = definePolicy(config.policy);
  const { features, baseline } = model.descriptor;
  const plan = new FeaturePlan(features);
  const history = new HistoryState(config.history.maxEntities);
  let position = 0n;

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.get('/health/ready', async () => ({ status: 'ready' }));
  app.post('/v1/decisions', async (req, reply) => {
    const valid = validateDecisionRequest(req.body);
    if (!valid.ok) return reply.code(400).send({ errors: valid.errors });
    const request = valid.value;
    const vector = plan.build(request, undefined, 0, plan.usesHistory ? historyFeatureValues(history, request, plan.historyNames) : undefined);
    const explained = explainedFeatures(vector, baseline);
    const run = (await model.score(compactExplanationRows(vector, baseline, explained), explained.length + 1)).scores;
    const scores = expandExplanationScores(run, vector.length, explained);
    const score = scores[0] as number;
    const outcome = applyPolicy(score, policy);
    if (plan.usesHistory) history.applyDecision(++position, request, outcome);
    return reply.code(201).send({
      transactionId: request.transactionId,
      outcome,
      score,
      reasons: topReasons(features, vector, scores, MAX_REASONS),
    });
  });

  const shutdown = async () => {
    await app.close();
    await model.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());

  const address = await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`baseline listening on ${address} (model ${model.descriptor.name} ${model.descriptor.version})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`baseline failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
