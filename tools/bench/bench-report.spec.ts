import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TARGETS, tailBySecond, threadTable, writeReport, type BenchReport, type TargetRun } from './bench-report';
import type { LoadResult } from './load-run';
import { tailStages } from './tail-stages';

describe('tailBySecond', () => {
  it('names the worst second and counts the seconds over the 10 ms target', () => {
    expect(tailBySecond('engine', [8.2, 9.96, 57.36, 10.04, 4])).toBe(
      'p99 of each second of the measured run, engine (ms, by scheduled send time): 8.2 10.0 57.4 10.0 4.0. Worst: second 3 (57.4 ms); 2 of 5 seconds over 10 ms.',
    );
  });

  it('takes the first of equal worst seconds', () => {
    expect(tailBySecond('baseline', [3, 3])).toContain('Worst: second 1 (3.0 ms); 0 of 2 seconds over 10 ms.');
  });

  it('shows a second without a 2xx answer as the worst, over the target', () => {
    expect(tailBySecond('engine', [4, null, 80])).toBe(
      'p99 of each second of the measured run, engine (ms, by scheduled send time): 4.0 — 80.0. Worst: second 2 (no 2xx answer); 2 of 3 seconds over 10 ms.',
    );
  });
});

describe('threadTable', () => {
  it("lists the server's threads with their cores and CPU per decision at the run's rate", () => {
    const table = threadTable(
      'engine',
      [
        { name: 'MainThread', cores: 0.72, waitingCores: 0.17, sleepsPerSecond: 130, preemptionsPerSecond: 620 },
        { name: 'projections', cores: 0.42 },
      ],
      3_500,
    );
    expect(table.split('\n')).toEqual([
      "Threads of the engine's process during the measured run (from /proc; threads of one name summed):",
      '',
      '| thread | cores | µs of CPU a decision | waiting for a core (cores) | sleeps a second | preemptions a second |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| MainThread | 0.72 | 206 | 0.17 | 130 | 620 |',
      '| projections | 0.42 | 120 | — | — | — |',
    ]);
  });
});

describe('writeReport', () => {
  const load = (decisionsPerSecond: number): LoadResult => ({
    durationSeconds: 10,
    connections: 64,
    sent: decisionsPerSecond * 10,
    statusCounts: { '201': decisionsPerSecond * 10 },
    responses: decisionsPerSecond * 10,
    ok2xx: decisionsPerSecond * 10,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    inFlightAtStop: 0,
    created: decisionsPerSecond * 10,
    unanswered: 0,
    decisionsPerSecond,
    latencyMs: { p50: 10, p90: 20, p99: 30, mean: 12, max: 40 },
    perSecond: [],
    createdIds: new Set(['tx-1']),
  });
  const run = (target: 'engine' | 'baseline', decisionsPerSecond: number, mainCores: number): TargetRun => ({
    target,
    description: target,
    warmup: load(decisionsPerSecond),
    measured: load(decisionsPerSecond),
    stop: { code: 0, signal: null, graceful: true },
    logFile: `${target}.log`,
    readinessAtEnd: null,
    cpu: { serverCores: 1, loadGeneratorCores: 0.8, otherCores: 0, machineBusyCores: 1.8, serverThreadCores: [{ name: 'MainThread', cores: mainCores, waitingCores: 0.2 }] },
  });
  const report: BenchReport = {
    machine: { nproc: 2, cpuModel: 'test CPU', totalMemoryGiB: 8, platform: 'linux', node: 'v24.21.0', date: '2026-12-07', gitCommit: 'abc1234' },
    settings: { durationSeconds: 10, warmupSeconds: 5, connections: 64, poolSize: 1000, seed: 1, model: 'fraud-demo', profile: false, env: {}, engineNodeArgs: [], mode: { kind: 'closed' }, store: 'sqlite' },
    engine: {
      ...run('engine', 3_000, 0.72),
      durability: { decisionMadeEvents: 30_000, created201: 30_000, acknowledgedButMissing: 0, recordedWithoutAnswer: 0, unanswered: 0, ok: true, verdict: 'every acknowledged decision is in the store' },
    },
    baseline: run('baseline', 6_000, 0.9),
    ratio: 0.5,
    targets: { ...TARGETS, throughputMet: true, ratioMet: false },
  };
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes each target's thread table into the markdown, beside the ratio and the targets", () => {
    const { markdown } = writeReport(dir, report);
    expect(path.basename(markdown)).toBe('latest.md');
    const text = readFileSync(markdown, 'utf8');
    expect(text).toContain('Engine ÷ baseline: **0.50×**');
    expect(text).toContain("Threads of the engine's process during the measured run");
    expect(text).toContain('| MainThread | 0.72 | 240 | 0.2 | — | — |');
    expect(text).toContain("Threads of the baseline's process during the measured run");
    expect(text).toContain('| MainThread | 0.9 | 150 | 0.2 | — | — |');
    expect(text).toContain('≥ 0.6× baseline — NOT met');
    expect(text).toContain('seed 1)');
  });

  it('says when the transaction ids were random', () => {
    const text = readFileSync(writeReport(dir, { ...report, settings: { ...report.settings, transactionIds: 'random' } }).markdown, 'utf8');
    expect(text).toContain('seed 1, random transaction ids)');
  });

  it("gives an open-loop run's stages, for the target whose answers named them", () => {
    const stages = tailStages([{ totalMs: 12, lateMs: 1, serverMs: { decide: 4, append: 5 } }])!;
    const engine = { ...report.engine!, measured: { ...report.engine!.measured, tailStages: stages } };
    const baseline = { ...report.baseline!, measured: { ...report.baseline!.measured, tailStages: null } };
    const text = readFileSync(writeReport(dir, { ...report, engine, baseline, settings: { ...report.settings, mode: { kind: 'rate', rate: 1000 } } }).markdown, 'utf8');
    expect(text).toContain("Where the engine's answers spent their time");
    expect(text).toContain("| decide: from the handler's start to the model's answer (validation, the history ask, the model) | 4 | 4 | 4 |");
    expect(text).toContain('| everything else: a free connection, the network, reading the request, waits for the main thread, the answer | 2 | 2 | 2 |');
    expect(text).not.toContain("Where the baseline's answers");
  });

  it("gives the engine's event-loop delay over the measured run", () => {
    const engine = { ...report.engine!, eventLoopDelay: { p50Ms: 0.5, p99Ms: 21.3, maxMs: 80 } };
    const text = readFileSync(writeReport(dir, { ...report, engine }).markdown, 'utf8');
    expect(text).toContain("The engine's main thread's event-loop delay over the measured run (a timer's lateness, sampled every 10 ms): p50 0.5 ms, p99 21.3 ms, max 80 ms.");
  });

  it('keeps the JSON without the created ids, and names each mode its own file', () => {
    const { json } = writeReport(dir, report);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { engine: { measured: Record<string, unknown> } };
    expect(parsed.engine.measured).not.toHaveProperty('createdIds');
    expect(path.basename(writeReport(dir, { ...report, settings: { ...report.settings, mode: { kind: 'rate', rate: 1000 } } }).markdown)).toBe('latest-rate.md');
    expect(path.basename(writeReport(dir, { ...report, settings: { ...report.settings, mode: { kind: 'batch', size: 500 } } }).json)).toBe('latest-batch.json');
  });
});
