/**
 * Where an open-loop run's answers spent their time, stage by stage, for all of them and for the slowest 1 %: the tail
 * named by the run itself rather than by a separate harness. The engine reports three times in each answer's
 * `server-timing`: two stages (decide, append) and its whole time (server). The load generator knows when each
 * request was due and when it started it. What is left splits into time in the engine outside the two stages, and
 * time outside the engine's clock.
 */
import { mean, percentile, roundMs as round } from './latency-math';

/** One 2xx answer's times, in ms from its scheduled send time. */
export interface StageSample {
  /** Scheduled send time to the end of the response: the run's latency. */
  readonly totalMs: number;
  /** Scheduled send time to when the load generator started the request (its own timer's lateness). */
  readonly lateMs: number;
  /** The answer's `server-timing` durations by name (empty when the server sends none). */
  readonly serverMs: Readonly<Record<string, number>>;
}

export interface StageFigures {
  /** A short name, for the console and for code. */
  readonly name: string;
  /** What the stage holds, for the report. */
  readonly stage: string;
  readonly meanAllMs: number;
  readonly meanSlowestMs: number;
  readonly p99Ms: number;
}

export interface TailStages {
  /** Answers that carried every server stage. */
  readonly answers: number;
  /** How many of them the slowest 1 % is. */
  readonly slowest: number;
  readonly stages: readonly StageFigures[];
}

/** The engine's stages in `server-timing`, with what each holds (apps/engine's decisions controller). */
const SERVER_STAGES = [
  { name: 'decide', stage: "decide: from the handler's start to the model's answer (validation, the history ask, the model)" },
  { name: 'append', stage: "append: the group commit's round trip" },
] as const;

/** `decide;dur=1.2, append;dur=0.4` as { decide: 1.2, append: 0.4 }; entries without a numeric `dur` are left out. */
export function parseServerTiming(header: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!header) return out;
  for (const entry of header.split(',')) {
    const [name, ...params] = entry.split(';').map((part) => part.trim());
    const dur = params.find((p) => p.startsWith('dur='));
    const ms = dur === undefined ? Number.NaN : Number(dur.slice(4));
    if (name && Number.isFinite(ms)) out[name] = ms;
  }
  return out;
}

type Column = { name: string; stage: string; of: (s: StageSample) => number };

/** The stages of an answer that the engine's `server` time splits the rest of its latency into. */
const IN_ENGINE = 'in the engine, outside decide and append: reading the body, sealing, the key store where it outlasts scoring, waits for the main thread between stages';
const OUTSIDE = "outside the engine's clock: a free connection, the network, the request waiting to be read, writing the answer, the load generator reading it";
const EVERYTHING_ELSE = 'everything else: a free connection, the network, reading the request, waits for the main thread, the answer';

/**
 * The stages of the answers that carry decide and append, or null when none does (the bare baseline sends no
 * `server-timing`). When they all carry `server` too (the time in the engine), the rest of the latency is split into
 * the time in the engine outside decide and append, and the time outside it; otherwise it is one "everything else".
 * A remainder is never below 0.
 */
export function tailStages(samples: readonly StageSample[]): TailStages | null {
  const timed = samples.filter((s) => SERVER_STAGES.every(({ name }) => s.serverMs[name] !== undefined));
  if (timed.length === 0) return null;
  const slowestCount = Math.max(1, Math.ceil(timed.length / 100));
  const slowest = [...timed].sort((a, b) => b.totalMs - a.totalMs).slice(0, slowestCount);
  const staged = (s: StageSample): number => SERVER_STAGES.reduce((sum, { name }) => sum + s.serverMs[name], 0);
  const rest: Column[] = timed.every((s) => s.serverMs.server !== undefined)
    ? [
        { name: 'rest in the engine', stage: IN_ENGINE, of: (s) => Math.max(0, s.serverMs.server - staged(s)) },
        { name: 'outside the engine', stage: OUTSIDE, of: (s) => Math.max(0, s.totalMs - s.lateMs - s.serverMs.server) },
      ]
    : [{ name: 'everything else', stage: EVERYTHING_ELSE, of: (s) => Math.max(0, s.totalMs - s.lateMs - staged(s)) }];
  const columns: Column[] = [
    { name: 'late', stage: 'sent late by the load generator', of: (s) => s.lateMs },
    ...SERVER_STAGES.map(({ name, stage }) => ({ name, stage, of: (s: StageSample) => s.serverMs[name] })),
    ...rest,
    { name: 'whole', stage: 'the whole latency', of: (s) => s.totalMs },
  ];
  return {
    answers: timed.length,
    slowest: slowestCount,
    stages: columns.map(({ name, stage, of }) => ({
      name,
      stage,
      meanAllMs: round(mean(timed.map(of))),
      meanSlowestMs: round(mean(slowest.map(of))),
      p99Ms: round(percentile(Float64Array.from(timed.map(of)).sort(), 99)),
    })),
  };
}

/** The stages as a Markdown table, for a run's report. A stage's p99 is its own: the p99s do not add up to the latency's. */
export function tailStagesTable(target: string, t: TailStages): string {
  return [
    `Where the ${target}'s answers spent their time (ms from each request's scheduled send time; the engine's stages from each answer's \`server-timing\`; ` +
      `the slowest 1 % is ${t.slowest} of ${t.answers} answers; each stage's p99 is its own, so they do not add up):`,
    '',
    '| stage | mean, all answers | mean, slowest 1 % | p99 |',
    '| --- | ---: | ---: | ---: |',
    ...t.stages.map((s) => `| ${s.stage} | ${s.meanAllMs} | ${s.meanSlowestMs} | ${s.p99Ms} |`),
  ].join('\n');
}

/** The stages in one console line: the slowest 1 %'s means. */
export function tailStagesLine(t: TailStages): string {
  return `slowest 1 %, mean ms by stage: ${t.stages.map((s) => `${s.name} ${s.meanSlowestMs}`).join(', ')}`;
}
