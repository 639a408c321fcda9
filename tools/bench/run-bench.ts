/**
 * `npm run bench`: the engine on embedded defaults against a bare Fastify + ONNX baseline, same model, same load,
 * then a durability check of every 201 against the event store. Method: docs/benchmarks.md.
 */
import { CommanderError } from 'commander';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, repoRoot } from '@verdict/config';
import { TARGETS, type BenchReport, type TargetRun, writeReport } from './bench-report';
import { parseBenchOptions, type BenchOptions } from './bench-options';
import { ChildServer } from './child-server';
import { deployChallenger } from './bench-challenger';
import { checkDurability, decisionStreamsOf } from './durability-check';
import { freePort } from './free-port';
import { cpuShare, cpuSnapshot, type CpuShare } from './cpu-usage';
import { cpuLines, describeLoad, eventLoopLine, modeLine } from './bench-console';
import { cpuProfilesOf, summarizeCpuProfile } from './cpu-profile-summary';
import { runLoad, type LoadResult } from './load-run';
import { runOpenLoop } from './open-loop-run';
import { eventLoopDelay, histogramMeans, scrapeMetrics, type EventLoopDelay, type HistogramMean } from './server-metrics';
import { machineInfo } from './machine-info';
import { dropSchemas, postgresTarget } from './postgres-target';
import { RequestPool, transactionIdsNote } from './request-pool';
import { simulatedRequests } from './simulated-requests';
import { adminAuthHeaders } from '../ops/admin-key';

const DECISIONS_PATH = '/v1/decisions';
const BATCH_PATH = '/v1/decisions/batch';
const HOST = '127.0.0.1';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The parent's environment minus Verdict's own settings, so the engine runs on its embedded defaults. */
function embeddedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VERDICT_') || k === 'PORT' || k === 'HOST' || k === 'LOG_LEVEL' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

interface Phase {
  readonly target: 'engine' | 'baseline';
  readonly description: string;
  readonly script: string;
  readonly env: NodeJS.ProcessEnv;
  readonly nodeArgs: readonly string[];
  readonly cpuProfileDir?: string;
  /** Runs once the server is ready, before the warm-up (e.g. deploying a challenger). */
  readonly setUp?: (baseUrl: string, headers: Record<string, string>) => Promise<void>;
  /** The engine's Authorization, read once it is ready (its admin key); none for the baseline. */
  readonly authHeaders?: () => Record<string, string>;
}

async function runPhase(root: string, options: BenchOptions, phase: Phase, pool: RequestPool, port: number): Promise<TargetRun> {
  const logDir = path.resolve(root, options.outDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${phase.target}.log`);
  const baseUrl = `http://${HOST}:${port}`;
  say(`starting ${phase.target} on ${baseUrl} (log: ${path.relative(root, logFile)})`);
  const server = await ChildServer.start({
    name: phase.target,
    script: phase.script,
    nodeArgs: phase.nodeArgs,
    env: phase.env,
    cwd: root,
    logFile,
    readyUrl: `${baseUrl}/health/ready`,
  });
  interface Driven {
    warmup: LoadResult;
    measured: LoadResult;
    serverTimings?: Record<string, HistogramMean>;
    eventLoopDelay?: EventLoopDelay;
    readinessAtEnd: unknown;
    cpu?: CpuShare;
  }
  const drive = async (): Promise<Driven> => {
    const headers = phase.authHeaders?.() ?? {};
    if (phase.setUp) await phase.setUp(baseUrl, headers);
    const { mode } = options;
    const load = (durationSeconds: number, loadPool: RequestPool): Promise<LoadResult> => {
      const common = { baseUrl, connections: options.connections, durationSeconds, pool: loadPool, headers };
      if (mode.kind === 'rate') return runOpenLoop({ ...common, path: DECISIONS_PATH, rate: mode.rate }, true);
      if (mode.kind === 'batch') return runLoad({ ...common, path: BATCH_PATH, batchSize: mode.size }, true);
      return runLoad({ ...common, path: DECISIONS_PATH }, true);
    };
    say(`  warm-up ${options.warmupSeconds} s`);
    const warmup = await load(options.warmupSeconds, pool.withPrefix(`${pool.idPrefix}-w`));
    if (options.warmupSeconds > 0) say(`  ${describeLoad('warm-up', warmup)}`);
    say(`  measuring ${options.durationSeconds} s: ${modeLine(options)}`);
    // On PostgreSQL the database server is part of what is measured: its processes are counted apart.
    const database = phase.target === 'engine' && options.postgresUrl !== undefined ? 'postgres' : undefined;
    // A scrape now starts the event-loop delay afresh (prom-client resets it at each one): the end's covers the run.
    await scrapeMetrics(baseUrl, headers);
    const before = cpuSnapshot(server.pid, database);
    const measured = await load(options.durationSeconds, pool.withPrefix(`${pool.idPrefix}-m`));
    const cpu = cpuShare(before, cpuSnapshot(server.pid, database));
    if (server.exit) {
      throw new Error(`${phase.target} exited during the run (code ${server.exit.code}, signal ${server.exit.signal}); see ${path.relative(root, logFile)}`);
    }
    say(`  ${describeLoad(phase.target, measured)}`);
    if (cpu) for (const line of cpuLines(cpu, measured.decisionsPerSecond)) say(`  ${line}`);
    // The server's own view right after the load: where a decision's time went, and how far projections lag.
    const metrics = await scrapeMetrics(baseUrl, headers);
    const serverTimings = metrics === undefined ? undefined : histogramMeans(metrics);
    if (serverTimings) {
      say(`  server timings (mean over warm-up + run): ${Object.entries(serverTimings).map(([k, v]) => `${k} ${v.meanMs} ms`).join(', ')}`);
    }
    const loop = metrics === undefined ? undefined : eventLoopDelay(metrics);
    if (loop) say(`  ${eventLoopLine(loop)}`);
    const readinessAtEnd: unknown = await (await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(10_000) })).json();
    return { warmup, measured, serverTimings, eventLoopDelay: loop, readinessAtEnd, cpu };
  };
  let driven: Driven;
  try {
    driven = await drive();
  } catch (err) {
    await server.stop();
    throw err;
  }
  const stop = await server.stop();
  say(`  stopped ${phase.target}: ${stop.graceful ? 'clean exit' : 'SIGKILL after grace period'} (code ${stop.code}, signal ${stop.signal})`);
  const profiles = phase.cpuProfileDir && server.pid !== undefined ? cpuProfilesOf(phase.cpuProfileDir, server.pid) : [];
  const cpuProfiles = profiles.map((p) => {
    const summary = summarizeCpuProfile(p.file, root);
    return { ...summary, threadId: p.threadId, file: path.relative(root, summary.file) };
  });
  for (const p of cpuProfiles) {
    say(`  CPU profile of ${p.threadId === 0 ? 'the main thread' : `worker thread ${p.threadId}`} (${p.file}); samples by activity:`);
    for (const a of p.byActivity) say(`    ${a.percent.toFixed(1).padStart(5)}%  ${a.name}`);
  }
  return {
    target: phase.target,
    description: phase.description,
    ...driven,
    stop,
    logFile: path.relative(root, logFile),
    cpuProfiles: cpuProfiles.length > 0 ? cpuProfiles : undefined,
  };
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  const root = repoRoot();
  const outDir = path.resolve(root, options.outDir);
  const machine = machineInfo(root);
  const runId = Date.now().toString(36);
  say(`verdict bench: ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}`);

  say(`simulating ${options.poolSize} request bodies (seed ${options.seed}${transactionIdsNote(options.transactionIds)})`);
  const pool = RequestPool.fromRequests(simulatedRequests(options.seed, options.poolSize), `bench-${runId}`, options.transactionIds);
  const model = loadConfig(embeddedEnv(options.env)).model.path;
  if (Object.keys(options.env).length > 0) say(`extra environment for both targets: ${JSON.stringify(options.env)}`);

  let engine: BenchReport['engine'];
  let baseline: TargetRun | undefined;
  let failed = false;

  if (options.only !== 'baseline') {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verdict-bench-'));
    const pg = options.postgresUrl === undefined ? undefined : postgresTarget(options.postgresUrl, runId);
    const env = embeddedEnv({ ...options.env, ...pg?.env, VERDICT_DATA_DIR: dataDir, HOST, PORT: String(await freePort(HOST)) });
    const cpuProfileDir = options.profile ? path.join(outDir, 'profiles') : undefined;
    if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
    try {
      const run = await runPhase(
        root,
        options,
        {
          target: 'engine',
          description: pg
            ? 'apps/engine on PostgreSQL: event store, subject keys and model artifacts in one schema, read models in another, inline projections'
            : 'apps/engine on embedded defaults: SQLite event store and read models, inline projections',
          script: path.join(root, 'dist/apps/engine/src/main.js'),
          env,
          nodeArgs: [...options.engineNodeArgs, ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [])],
          cpuProfileDir,
          authHeaders: () => adminAuthHeaders(dataDir),
          setUp: options.challenger
            ? async (baseUrl, headers) => {
                say(`  deploying a ${options.challenger!.mode} challenger`);
                await deployChallenger(baseUrl, model, options.challenger!, headers);
              }
            : undefined,
        },
        pool.withPrefix(`bench-${runId}-engine`),
        Number(env.PORT),
      );
      const durability = checkDurability({
        decisionStreams: await decisionStreamsOf(loadConfig(env).eventStore),
        createdIds: new Set([...(run.warmup.createdIds ?? []), ...(run.measured.createdIds ?? [])]),
        created: run.warmup.created + run.measured.created,
        unanswered: run.warmup.unanswered + run.measured.unanswered,
      });
      say(`  durability: ${durability.verdict}`);
      if (!durability.ok) failed = true;
      engine = { ...run, durability };
    } finally {
      if (options.keepData) say(`  kept engine data in ${dataDir}${pg ? ` and schemas ${pg.schemas.join(', ')}` : ''}`);
      else {
        // Reported, not thrown: a failure here must not hide the run's own error.
        if (pg) await dropSchemas(options.postgresUrl as string, pg.schemas).catch((e: unknown) => say(`  could not drop ${pg.schemas.join(', ')}: ${String(e)}`));
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }

  if (options.only !== 'engine') {
    const env = embeddedEnv({ ...options.env, HOST, PORT: String(await freePort(HOST)) });
    baseline = await runPhase(
      root,
      options,
      {
        target: 'baseline',
        description: 'tools/bench/baseline-server.ts: Fastify, validation, same features and batched ONNX call, records nothing',
        script: path.join(root, 'dist/tools/bench/baseline-server.js'),
        env,
        nodeArgs: [],
      },
      pool.withPrefix(`bench-${runId}-baseline`),
      Number(env.PORT),
    );
  }

  // At a fixed rate both targets answer what is offered: the comparison is their latency, not a throughput ratio.
  const ratio =
    options.mode.kind === 'closed' && engine && baseline && baseline.measured.decisionsPerSecond > 0
      ? engine.measured.decisionsPerSecond / baseline.measured.decisionsPerSecond
      : undefined;
  const report: BenchReport = {
    machine,
    settings: {
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      poolSize: pool.size,
      transactionIds: options.transactionIds,
      seed: options.seed,
      model: path.relative(root, model),
      profile: options.profile,
      env: options.env,
      engineNodeArgs: options.engineNodeArgs,
      challenger: options.challenger,
      mode: options.mode,
      store: options.postgresUrl ? 'postgres' : 'sqlite',
    },
    engine,
    baseline,
    ratio,
    targets: {
      ...TARGETS,
      throughputMet:
        options.mode.kind === 'rate' || !engine
          ? undefined
          : engine.measured.decisionsPerSecond >= (options.mode.kind === 'batch' ? TARGETS.batchDecisionsPerSecond : TARGETS.decisionsPerSecond),
      ratioMet: ratio === undefined ? undefined : ratio >= TARGETS.ratioToBaseline,
    },
  };
  const written = writeReport(outDir, report);
  if (ratio !== undefined) say(`engine ÷ baseline: ${ratio.toFixed(2)}×`);
  say(`wrote ${path.relative(root, written.json)} and ${path.relative(root, written.markdown)}`);
  for (const run of [engine, baseline]) {
    if (run && (run.measured.non2xx > 0 || run.measured.errors > 0)) {
      say(`WARNING: ${run.target} answered ${run.measured.non2xx} non-2xx and had ${run.measured.errors} connection errors`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Commander has already printed the help or the usage error.
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
