import { Command, InvalidArgumentError } from 'commander';
import { parseChallenger, type BenchChallenger } from './bench-challenger';
import type { TransactionIds } from './request-pool';

export type BenchTargets = 'both' | 'engine' | 'baseline';

/**
 * How load is offered: `closed` keeps one request in flight per connection (throughput); `batch` does the same with
 * POST /v1/decisions/batch and `size` items a request; `rate` sends on a fixed schedule (open loop, for latency).
 */
export type BenchMode = { readonly kind: 'closed' } | { readonly kind: 'batch'; readonly size: number } | { readonly kind: 'rate'; readonly rate: number };

export interface BenchOptions {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly poolSize: number;
  readonly seed: number;
  /** Transaction ids numbered (the default) or random (--random-ids). */
  readonly transactionIds: TransactionIds;
  readonly only: BenchTargets;
  readonly profile: boolean;
  readonly keepData: boolean;
  readonly outDir: string;
  /** Extra environment for both targets (default: none, i.e. embedded defaults). */
  readonly env: Readonly<Record<string, string>>;
  /** A challenger deployed beside the engine's champion before the load (default: none). */
  readonly challenger?: BenchChallenger;
  readonly mode: BenchMode;
  /** Extra Node options for the engine's process (e.g. --max-semi-space-size=8). */
  readonly engineNodeArgs: readonly string[];
  /** Run the engine on PostgreSQL at this URL (every store, in fresh schemas dropped afterwards) instead of SQLite. */
  readonly postgresUrl?: string;
}

function positiveInt(name: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${raw}"`);
    return n;
  };
}

function envPair(raw: string, previous: Record<string, string>): Record<string, string> {
  const eq = raw.indexOf('=');
  if (eq < 1) throw new InvalidArgumentError(`--env takes NAME=value, got "${raw}"`);
  return { ...previous, [raw.slice(0, eq)]: raw.slice(eq + 1) };
}

function nonNegativeInt(name: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be an integer ≥ 0, got "${raw}"`);
    return n;
  };
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('run-bench')
    .description('Throughput and latency of POST /v1/decisions: the engine against a bare Fastify + ONNX baseline')
    .option('--duration <seconds>', 'measured seconds per target', positiveInt('--duration'), 20)
    .option('--warmup <seconds>', 'warm-up seconds per target (not measured)', nonNegativeInt('--warmup'), 5)
    .option('--connections <n>', 'concurrent connections, one request in flight each', positiveInt('--connections'), 64)
    .option('--pool-size <n>', 'simulated request bodies to cycle through', positiveInt('--pool-size'), 20000)
    .option('--seed <n>', 'simulator seed', nonNegativeInt('--seed'), 7)
    .option('--random-ids', 'random transaction ids (UUID v4) instead of numbered ones, as many clients send', false)
    .option('--only <target>', 'engine, baseline or both', 'both')
    .option('--profile', 'run the engine with --cpu-prof into <out>/profiles', false)
    .option('--keep-data', "keep the engine's temporary data directory", false)
    .option('--out <dir>', 'where latest.json and latest.md go', 'bench/results')
    .option('--env <NAME=value>', 'extra environment for both targets, repeatable (e.g. VERDICT_PROJECTIONS=off)', envPair, {})
    .option('--challenger <shadow|canary:P>', 'deploy a challenger beside the champion before the engine run (shadow: scores every request)')
    .option('--batch <items>', 'POST /v1/decisions/batch with this many decisions a request (engine only; 1–1000)', positiveInt('--batch'))
    .option('--engine-node-arg <flag>', "a Node option for the engine's process, repeatable (e.g. --engine-node-arg=--max-semi-space-size=8)", (raw: string, previous: string[]) => [...previous, raw], [])
    .option('--postgres <url>', 'run the engine on PostgreSQL at this URL (event store, read models, subject keys, model artifacts), in fresh schemas dropped afterwards')
    .option('--rate <per-second>', 'open loop: send this many requests a second on a fixed schedule, latency from each scheduled time', positiveInt('--rate'))
    .exitOverride()
    .parse([...argv], { from: 'user' });
  const o = program.opts<{
    duration: number;
    warmup: number;
    connections: number;
    poolSize: number;
    seed: number;
    randomIds: boolean;
    only: string;
    profile: boolean;
    keepData: boolean;
    out: string;
    env: Record<string, string>;
    challenger?: string;
    batch?: number;
    rate?: number;
    engineNodeArg: string[];
    postgres?: string;
  }>();
  if (o.batch !== undefined && o.rate !== undefined) throw new InvalidArgumentError('--batch and --rate cannot be combined');
  if (o.batch !== undefined && o.batch > 1000) throw new InvalidArgumentError(`--batch takes at most 1000 items, got ${o.batch}`);
  if (o.batch !== undefined && o.only === 'baseline') throw new InvalidArgumentError('--batch runs the engine only: the baseline has no batch route');
  const mode: BenchMode =
    o.batch !== undefined ? { kind: 'batch', size: o.batch } : o.rate !== undefined ? { kind: 'rate', rate: o.rate } : { kind: 'closed' };
  if (!['both', 'engine', 'baseline'].includes(o.only)) {
    throw new InvalidArgumentError(`--only must be engine, baseline or both, got "${o.only}"`);
  }
  return {
    durationSeconds: o.duration,
    warmupSeconds: o.warmup,
    connections: o.connections,
    poolSize: o.poolSize,
    seed: o.seed,
    transactionIds: o.randomIds ? 'random' : 'numbered',
    only: mode.kind === 'batch' ? 'engine' : (o.only as BenchTargets),
    profile: o.profile,
    keepData: o.keepData,
    outDir: o.out,
    env: o.env,
    challenger: o.challenger === undefined ? undefined : parseChallenger(o.challenger),
    mode,
    engineNodeArgs: o.engineNodeArg,
    postgresUrl: o.postgres,
  };
}
