import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import { FeaturePlan, HistoryState, historyFeatureValues } from '@verdict/domain';
import { OnnxModelRuntime } from '@verdict/model-runtime';
import { metricsAtThreshold, rocAuc } from '@verdict/training';
import { AWS_COLDSTART_CSV, loadAwsColdstart } from './aws-coldstart';
import type { ExternalEvaluation, ModelManifest } from './model-manifest';
import { repoRoot } from './repo-root';

export const AWS_NOTES =
  'Different distribution, not used for training or tuning: synthetic online-retail data with US billing addresses only. ' +
  'Mapping: order_price → amount, EVENT_TIMESTAMP → occurredAt, *_net categories → ecom (with ip and a user-agent ' +
  'device id), *_pos and the other categories → pos, category → nearest MCC, billing_country → attributes.cardCountry; ' +
  'the merchant country is unknown, so is_foreign is always 0.';

/** Added to the notes for a model that reads history features. */
export const AWS_HISTORY_NOTES =
  ' History features: each row is scored against the history of the rows before it in EVENT_TIMESTAMP order, as the ' +
  'engine would build it from its log; the sample records no time at which a fraud became known, so no label is ever ' +
  'known at decision time and merchant_fraud_labels_28d is always 0.';

export function awsColdstartPath(root = repoRoot()): string {
  return path.resolve(root, AWS_COLDSTART_CSV);
}

/** Scores the labelled AWS cold-start rows with the model file through onnxruntime (as the engine would). */
export async function evaluateAwsColdstart(
  modelPath: string,
  policy: { reviewThreshold: number; declineThreshold: number },
  csvPath = awsColdstartPath(),
): Promise<ExternalEvaluation> {
  const rows = loadAwsColdstart(csvPath);
  const runtime = await OnnxModelRuntime.load({ path: modelPath });
  try {
    const plan = new FeaturePlan(runtime.descriptor.features);
    // History is built in time order, as a log would hold these transactions (stable: ties keep the file's order).
    rows.sort((a, b) => Date.parse(a.request.occurredAt) - Date.parse(b.request.occurredAt));
    const history = new HistoryState(rows.length + 1);
    const values = new Float32Array(rows.length * plan.width);
    rows.forEach((r, i) => {
      plan.build(r.request, values, i * plan.width, plan.usesHistory ? historyFeatureValues(history, r.request, plan.historyNames) : undefined);
      if (plan.usesHistory) history.applyDecision(BigInt(i + 1), r.request, 'approve');
    });
    const { scores } = await runtime.score(values, rows.length);
    const labels = rows.map((r): number => (r.isFraud ? 1 : 0));
    const review = metricsAtThreshold(scores, labels, policy.reviewThreshold);
    const decline = metricsAtThreshold(scores, labels, policy.declineThreshold);
    return {
      dataset: 'aws-fraud-coldstart/transaction_data_2K_coldstart.csv',
      source: 'aws-samples/aws-fraud-detector-samples, MIT-0',
      rows: rows.length,
      positives: labels.reduce((a, b) => a + b, 0),
      rocAuc: rocAuc(scores, labels),
      review: { recall: review.recall, falsePositiveRate: review.falsePositiveRate },
      decline: { recall: decline.recall, falsePositiveRate: decline.falsePositiveRate },
      notes: plan.usesHistory ? AWS_NOTES + AWS_HISTORY_NOTES : AWS_NOTES,
    };
  } finally {
    await runtime.close();
  }
}

/** The `evaluate-aws` command: prints the evaluation as JSON on stdout. */
export async function runEvaluateAwsCommand(args: readonly string[]): Promise<ExternalEvaluation> {
  const root = repoRoot();
  const program = new Command()
    .name('evaluate-aws')
    .description('Score the AWS Fraud Detector cold-start sample with a Verdict model and report ROC AUC')
    .option('--model-dir <dir>', 'directory holding model.onnx and model.json', path.join(root, 'models', 'fraud-demo', '2.0.0'))
    .option('--csv <file>', 'the cold-start CSV', awsColdstartPath(root))
    .exitOverride()
    .parse([...args], { from: 'user' });
  const opts = program.opts<{ modelDir: string; csv: string }>();
  if (!existsSync(opts.csv)) throw new Error(`Dataset not found: ${opts.csv}`);
  const manifest = JSON.parse(readFileSync(path.join(opts.modelDir, 'model.json'), 'utf8')) as ModelManifest;
  const result = await evaluateAwsColdstart(path.join(opts.modelDir, manifest.file), manifest.policy, opts.csv);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (require.main === module) {
  runEvaluateAwsCommand(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
