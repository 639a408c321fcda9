import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { evaluateAwsColdstart, awsColdstartPath } from './evaluate-aws';
import { FRAUD_DEMO_CONFIG, fraudDemoConfig, type TrainingConfig } from './fraud-demo-config';
import { renderModelCard } from './model-card';
import type { ModelManifest } from './model-manifest';
import { repoRoot } from './repo-root';
import { runTrainingPipeline, sha256Hex } from './training-pipeline';

interface TrainOptions {
  out?: string;
  seed: number;
  trainSeed: number;
  customers: number;
  terminals: number;
  days: number;
  testDays: number;
  validationDays: number;
  maxTrees: number;
  modelVersion: string;
  check: boolean;
  external: boolean;
  quiet: boolean;
}

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
};

function configFrom(o: TrainOptions, c: TrainingConfig): TrainingConfig {
  return {
    ...c,
    simulation: { ...c.simulation, seed: o.seed, customers: o.customers, terminals: o.terminals, days: o.days },
    split: { testDays: o.testDays, validationDays: o.validationDays },
    params: { ...c.params, seed: o.trainSeed, nEstimators: o.maxTrees },
  };
}

const defaultLog = (line: string): void => void process.stderr.write(`${line}\n`);

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Compares the retrained model with the committed one: model.onnx byte for byte, and in model.json the sha256 and
 * the training statistics (drift monitoring's baseline, exactly as retrained). Returns the problems found.
 */
function checkCommitted(outDir: string, retrained: ModelManifest): string[] {
  const problems: string[] = [];
  const sha = retrained.sha256;
  const onnxPath = path.join(outDir, 'model.onnx');
  const jsonPath = path.join(outDir, 'model.json');
  if (!existsSync(onnxPath)) problems.push(`${onnxPath} is missing`);
  else if (sha256Hex(readFileSync(onnxPath)) !== sha) problems.push(`${onnxPath} sha256 differs from the retrained model (${sha})`);
  if (!existsSync(jsonPath)) return [...problems, `${jsonPath} is missing`];
  const committed = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelManifest;
  if (committed.sha256 !== sha) problems.push(`${jsonPath} sha256 differs from the retrained model (${sha})`);
  if (json(committed.trainingStatistics) !== json(retrained.trainingStatistics)) {
    problems.push(`${jsonPath} trainingStatistics differ from the retrained model's`);
  }
  return problems;
}

/** The `train` command; `args` are the user arguments (no node/script prefix). Resolves to the exit code. */
export async function runTrainCommand(args: readonly string[], log: (line: string) => void = defaultLog): Promise<number> {
  const root = repoRoot();
  const d = FRAUD_DEMO_CONFIG;
  const program = new Command()
    .name('train')
    .description('Simulate transactions, train the fraud-demo GBDT, export ONNX and write model.json + MODEL_CARD.md')
    .option('--out <dir>', `output directory (default: models/${d.modelName}/<version>)`)
    .option('--seed <n>', 'simulation seed', int, d.simulation.seed)
    .option('--train-seed <n>', 'row-subsampling seed', int, d.params.seed)
    .option('--customers <n>', 'simulated customers', int, d.simulation.customers)
    .option('--terminals <n>', 'simulated terminals', int, d.simulation.terminals)
    .option('--days <n>', 'simulated days', int, d.simulation.days)
    .option('--test-days <n>', 'last days held out for evaluation', int, d.split.testDays)
    .option('--validation-days <n>', 'days before the test period for early stopping and thresholds', int, d.split.validationDays)
    .option('--max-trees <n>', 'maximum boosting rounds', int, d.params.nEstimators)
    .option('--model-version <v>', 'model version: a known one (1.0.0, 2.0.0) trains its own features and policy', d.modelVersion)
    .option('--check', 'retrain and verify the committed model.onnx and its training statistics match byte for byte (exit 1 otherwise)', false)
    .option('--no-external', 'skip the AWS cold-start evaluation')
    .option('--quiet', 'no per-iteration progress', false)
    .exitOverride()
    .parse([...args], { from: 'user' });
  const o = program.opts<TrainOptions>();
  const out = o.out ?? path.join(root, 'models', d.modelName, o.modelVersion);
  const artifacts = runTrainingPipeline(configFrom(o, fraudDemoConfig(o.modelVersion)), (it) => {
    if (!o.quiet && it.iteration % 25 === 0) {
      log(`round ${it.iteration}: train loss ${it.trainLoss.toFixed(5)}, validation loss ${it.validationLoss?.toFixed(5) ?? '-'}`);
    }
  });
  const { manifest, onnx, timingsMs } = artifacts;
  log(
    `simulated ${manifest.training.split.trainRows + manifest.training.split.validationRows + manifest.training.split.testRows} ` +
      `transactions in ${(timingsMs.simulate / 1000).toFixed(1)} s; trained ${manifest.training.trees} trees in ` +
      `${(timingsMs.train / 1000).toFixed(1)} s; total ${(timingsMs.total / 1000).toFixed(1)} s`,
  );
  log(`model.onnx ${onnx.length} bytes, sha256 ${manifest.sha256}`);
  log(`test ROC AUC ${manifest.metrics.test.rocAuc.toFixed(4)}, decline FPR ${manifest.metrics.test.decline.falsePositiveRate.toFixed(4)}`);

  if (o.check) {
    const problems = checkCommitted(out, manifest);
    for (const p of problems) log(`CHECK FAILED: ${p}`);
    if (problems.length === 0) log('check passed: the committed model is reproducible');
    return problems.length === 0 ? 0 : 1;
  }

  mkdirSync(out, { recursive: true });
  const onnxPath = path.join(out, manifest.file);
  writeFileSync(onnxPath, onnx);
  let full: ModelManifest = manifest;
  const csv = awsColdstartPath(root);
  if (o.external && existsSync(csv)) {
    const external = await evaluateAwsColdstart(onnxPath, manifest.policy, csv);
    log(`AWS cold-start ROC AUC ${external.rocAuc.toFixed(4)} (${external.rows} rows)`);
    full = { ...manifest, metrics: { ...manifest.metrics, external } };
  } else if (o.external) log(`AWS cold-start dataset not found at ${csv}; skipping the external check`);
  writeFileSync(path.join(out, 'model.json'), json(full));
  writeFileSync(path.join(out, 'MODEL_CARD.md'), renderModelCard(full));
  log(`wrote ${out}/{model.onnx,model.json,MODEL_CARD.md}`);
  return 0;
}

if (require.main === module) {
  runTrainCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof CommanderError) process.exit(e.exitCode);
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
