import {
  compareFeatures,
  compactExplanationRows,
  compareReplay,
  DECISION_MADE,
  expandExplanationScores,
  explainedFeatures,
  explanationRows,
  ReplayTally,
  upcastDecisionMade,
  type DecisionMade,
  FeaturePlan,
  type FeatureColumnResolver,
  type FeatureColumnSpec,
  type FieldDifference,
  type ReplayReport,
  type ReplaySelection,
} from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import type { ReplaySession } from '@verdict/model-runtime';
import { HistoryRecompute } from './history-recompute';
import type { ReplayModels } from './replay-models';

/** Events read per page; decisions of a page are grouped by model and scored in batches of at most BATCH. */
const PAGE = 2000;
const BATCH = 256;
const IN_FLIGHT = 2;

export interface ReplayProgress {
  readonly done: number;
  readonly total: number;
}

export interface ReplayRunOptions {
  readonly store: EventStore;
  readonly models: ReplayModels;
  /** recompute-features mode: the input columns the decision's model declares (its manifest's, else the recorded names). */
  readonly featureSpecsFor?: (decision: DecisionMade) => Promise<readonly FeatureColumnSpec[]>;
  /** The feature code to check against; default: this build's registry. */
  readonly featureResolver?: FeatureColumnResolver;
  /** Where to start reading (a hint from the read model; never after the first selected decision). */
  readonly startAfter?: bigint;
  /** Last position to read: the head when the replay started, or the requested toPosition. */
  readonly endAt: bigint;
  readonly onProgress?: (done: number) => void;
}

interface Selected {
  readonly decision: DecisionMade;
  readonly position: bigint;
}

const matches = (s: ReplaySelection, d: DecisionMade): boolean =>
  (s.from === undefined || d.decidedAt >= s.from) &&
  (s.to === undefined || d.decidedAt < s.to) &&
  (s.filter?.modelSha256 === undefined || d.model.sha256 === s.filter.modelSha256) &&
  (s.filter?.outcome === undefined || d.outcome === s.filter.outcome) &&
  (s.filter?.cardId === undefined || d.request.cardId === s.filter.cardId);

/**
 * The rows a decision ran, as the decision path lays them out (row-run.ts): its own row, then one row per feature off
 * its baseline. A feature at its baseline has no row: its row would equal the decision's own.
 */
interface DecisionRows {
  readonly values: Float32Array;
  readonly explained: readonly number[];
}

function decisionRows(d: DecisionMade): DecisionRows {
  const values = Float32Array.from(d.features.values);
  return { values, explained: explainedFeatures(values, d.explanation.baseline) };
}

/**
 * The decision's rows in a run of their own: first as the decision path lays them out, then, if that differs, with
 * every explanation row (decisions made before the path skipped rows at the baseline ran all 1 + F). Either run is
 * the model's own answer to the recorded rows, so neither can make a forged record match; the first one that
 * reproduces the record counts, else the first one's differences are reported.
 */
async function replayAlone(session: ReplaySession, d: DecisionMade): Promise<FieldDifference[]> {
  const { values, explained } = decisionRows(d);
  const width = values.length;
  const compact = await session.run(compactExplanationRows(values, d.explanation.baseline, explained), explained.length + 1, width);
  const differences = compareReplay(d, { modelOutputs: compact.outputsOf(0), scores: expandExplanationScores(compact.scores, width, explained) });
  if (differences.length === 0 || explained.length === width) return differences;
  const full = await session.run(explanationRows(values, d.explanation.baseline), width + 1, width);
  const again = compareReplay(d, { modelOutputs: full.outputsOf(0), scores: full.scores });
  return again.length === 0 ? again : differences;
}

/** A record whose row cannot be run as it stands: fewer or more values than the model's recorded columns. */
function malformedRow(d: DecisionMade): FieldDifference[] {
  const { names, values } = d.features;
  return values.length === names.length ? [] : [{ field: 'features.values.length', recorded: values.length, replayed: names.length }];
}

/**
 * One replay over the log: reads DecisionMade events in position order, fetches each model by its recorded sha256,
 * runs the recorded rows and compares bit for bit. Decisions of a page are batched by model: the rows of up to
 * BATCH decisions go through one run. Should a batched run ever differ from the recorded one, that decision is run
 * again alone, and only that run's verdict counts.
 */
export async function runReplay(selection: ReplaySelection, options: ReplayRunOptions): Promise<ReplayReport> {
  const tally = new ReplayTally(selection);
  const first = selection.fromPosition === undefined ? undefined : BigInt(selection.fromPosition);
  let after = options.startAfter ?? (first !== undefined && first > 0n ? first - 1n : undefined);
  if (first !== undefined && after !== undefined && after < first - 1n) after = first - 1n;
  // The next page is read while this one is replayed: store reads and model runs overlap.
  const read = (from: bigint | undefined) => {
    const page = options.store.readAll({ after: from, maxCount: PAGE, filter: { eventTypePrefixes: [DECISION_MADE] } });
    page.catch(() => undefined); // awaited (and its error thrown) on the next turn; never an unhandled rejection meanwhile
    return page;
  };
  let next = read(after);
  const history = selection.mode === 'recompute-features' ? new HistoryRecompute(options.store) : undefined;
  for (;;) {
    const page = await next;
    const selected: Selected[] = [];
    let ended = page.length === 0;
    for (const event of page) {
      if (event.position > options.endAt) {
        ended = true;
        break;
      }
      after = event.position;
      if (event.type !== DECISION_MADE) continue;
      const decision = upcastDecisionMade(event.data);
      if (matches(selection, decision)) selected.push({ decision, position: event.position });
    }
    if (!ended) next = read(after);
    await replayPage(selected, selection, options, tally, history);
    options.onProgress?.(tally.done);
    if (ended) return tally.report();
  }
}

async function replayPage(
  selected: readonly Selected[],
  selection: ReplaySelection,
  options: ReplayRunOptions,
  tally: ReplayTally,
  history: HistoryRecompute | undefined,
): Promise<void> {
  const verdicts = new Map<Selected, FieldDifference[]>();
  const groups = new Map<string, { session: ReplaySession; items: Selected[] }>();
  const models = await Promise.all(selected.map((s) => options.models.for(s.decision)));
  selected.forEach((s, i) => {
    const model = models[i];
    if (model.kind !== 'session') return;
    const malformed = malformedRow(s.decision);
    if (malformed.length > 0) return void verdicts.set(s, malformed);
    const group = groups.get(model.key) ?? { session: model.session, items: [] };
    group.items.push(s);
    groups.set(model.key, group);
  });
  // Batches run on onnxruntime's threads; a few in flight keep both the main thread and the cores busy.
  const chunks: { session: ReplaySession; items: Selected[] }[] = [];
  for (const { session, items } of groups.values()) {
    for (let start = 0; start < items.length; start += BATCH) chunks.push({ session, items: items.slice(start, start + BATCH) });
  }
  let taken = 0;
  const lane = async (): Promise<void> => {
    while (taken < chunks.length) {
      const { session, items } = chunks[taken++];
      for (const [item, differences] of await replayBatch(session, items)) verdicts.set(item, differences);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  // Verdicts are tallied in log order, so the same decisions always give the same report.
  for (let i = 0; i < selected.length; i++) {
    const { decision, position } = selected[i];
    const model = models[i];
    const ref = { sha256: decision.model.sha256, name: decision.model.name, version: decision.model.version };
    if (model.kind === 'unavailable') tally.unavailable(position, ref, model.why, model.detail);
    else tally.replayed(decision.decisionId, position, ref, verdicts.get(selected[i]) ?? []);
    if (selection.mode === 'recompute-features' && options.featureSpecsFor && history) {
      tally.featureDrift(decision.decisionId, position, await featureDifferences(decision, await options.featureSpecsFor(decision), history, options.featureResolver));
    }
  }
}

async function replayBatch(session: ReplaySession, chunk: readonly Selected[]): Promise<Map<Selected, FieldDifference[]>> {
  const width = chunk[0].decision.features.names.length;
  const layout = chunk.map(({ decision }) => decisionRows(decision));
  const firstRows: number[] = [];
  let total = 0;
  for (const { explained } of layout) {
    firstRows.push(total);
    total += explained.length + 1;
  }
  const rows = new Float32Array(total * width);
  chunk.forEach(({ decision }, k) => compactExplanationRows(layout[k].values, decision.explanation.baseline, layout[k].explained, rows, firstRows[k] * width));
  const batch = await session.run(rows, total, width);
  const out = new Map<Selected, FieldDifference[]>();
  for (let k = 0; k < chunk.length; k++) {
    const item = chunk[k];
    const { values, explained } = layout[k];
    const first = firstRows[k];
    const scores = expandExplanationScores(batch.scores.subarray(first, first + explained.length + 1), values.length, explained);
    let differences = compareReplay(item.decision, { modelOutputs: batch.outputsOf(first), scores });
    if (differences.length > 0) differences = await replayAlone(session, item.decision);
    out.set(item, differences);
  }
  return out;
}

/**
 * Rebuilds the row from the recorded request with today's feature code, and its history features from the log as of
 * the decision's `featuresAsOf` (HistoryRecompute).
 */
async function featureDifferences(
  decision: DecisionMade,
  specs: readonly FeatureColumnSpec[],
  history: HistoryRecompute,
  resolver?: FeatureColumnResolver,
): Promise<FieldDifference[]> {
  try {
    const plan = new FeaturePlan(specs, resolver);
    const values = plan.usesHistory ? await history.values(decision, plan.historyNames) : undefined;
    return compareFeatures(decision, plan.build(decision.request, undefined, 0, values));
  } catch (e) {
    // Today's code cannot build this row at all (a feature removed or renamed, a non-finite value): drift too.
    return [{ field: 'features', recorded: decision.features.names, replayed: (e as Error).message }];
  }
}
