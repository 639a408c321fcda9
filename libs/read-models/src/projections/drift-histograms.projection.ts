import {
  DECISION_MADE,
  histogramKey,
  MODEL_VERSION_REGISTERED,
  SCORE_SERIES,
  upcastDecisionMade,
  featureColumnName,
  trainingStatisticsSchema,
  type DecisionMade,
  type DriftBinning,
  type ModelVersionRegisteredV1,
} from '@verdict/domain';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import type { EntityManager } from 'typeorm';
import { DriftBinningRecord } from '../entities/drift-binning-record.entity';
import { DriftWindowRecord } from '../entities/drift-window-record.entity';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { bigintParam, dialectOf, emptyTable, param, tableOf, timestampParam, timestampValue, type ReadModelDialect } from '../sql-dialect';
import type { PreparingProjection } from './projection';
import { parseBinning, versionKey } from './drift-rows';

/** The drift window width unless configured (VERDICT_DRIFT_WINDOW_SECONDS): an hour. */
export const DEFAULT_DRIFT_WINDOW_SECONDS = 3600;

interface WindowState {
  readonly model: string;
  readonly version: string;
  readonly startMs: number;
  decisions: number;
  readonly histograms: Record<string, Record<string, number>>;
  lastPosition: bigint;
  changed: boolean;
}

/** What a batch contributes, without the database: each decision's series values and each registration's binning. */
export interface PreparedDrift {
  /** Distinct feature-name lists, referred to by index: a version's decisions all carry the same one. */
  readonly names: string[][];
  readonly items: DriftItem[];
}

type DriftItem =
  | { readonly kind: 'decision'; readonly position: bigint; readonly model: string; readonly version: string; readonly startMs: number; readonly names: number; readonly values: readonly number[]; readonly score: number }
  | { readonly kind: 'registered'; readonly position: bigint; readonly model: string; readonly version: string; readonly binning: DriftBinning | null };

/** A version's binning with each series' edges looked up once per batch (none: fine keys). */
interface Counting {
  readonly binning: DriftBinning;
  readonly edges: ReadonlyMap<string, readonly number[] | undefined>;
}

/**
 * drift_windows: per model version (name and version: the registry's identity, which also names the manifest
 * holding the training statistics) and window of decision time, the histograms of every feature and the score of
 * the decisions it made. drift_binnings: how each version is counted, fixed by the first event that told of it.
 *
 * Idempotent per event: each window row keeps the position of the last decision it counted, and a decision at or
 * below it (a redelivery, or a replay into the same tables) is not counted again. Events arrive in position order,
 * so every decision not yet counted in a window lies above that window's mark.
 */
export class DriftHistogramsProjection implements PreparingProjection<PreparedDrift> {
  static readonly NAME = 'drift-histograms';
  readonly name = DriftHistogramsProjection.NAME;
  readonly version = 1;
  readonly canHandle = [DECISION_MADE, MODEL_VERSION_REGISTERED] as const;
  private readonly windowMs: number;

  constructor(readonly windowSeconds = DEFAULT_DRIFT_WINDOW_SECONDS) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new RangeError('windowSeconds must be a positive integer');
    this.windowMs = windowSeconds * 1000;
  }

  handle(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    return this.applyPrepared(this.prepare(events), manager);
  }

  prepare(events: readonly RecordedEvent[]): PreparedDrift {
    const names: string[][] = [];
    const nameIndex = new Map<string, number>();
    const items: DriftItem[] = [];
    for (const event of events) {
      if (event.type === DECISION_MADE) {
        const d = this.decision(event);
        const key = d.features.names.join('\u0000');
        let index = nameIndex.get(key);
        if (index === undefined) nameIndex.set(key, (index = names.push([...d.features.names]) - 1));
        const { name: model, version } = d.model;
        items.push({ kind: 'decision', position: event.position, model, version, startMs: this.windowStart(d, event), names: index, values: d.features.values, score: d.score });
      } else {
        const r = event.data as unknown as ModelVersionRegisteredV1;
        items.push({ kind: 'registered', position: event.position, model: r.name, version: r.version, binning: this.registeredBinning(r, event) });
      }
    }
    return { names, items };
  }

  async applyPrepared(prepared: PreparedDrift, manager: EntityManager): Promise<void> {
    const dialect = dialectOf(manager);
    const versions = new Set<string>();
    const windows = new Map<string, { model: string; version: string; startMs: number }>();
    for (const item of prepared.items) {
      versions.add(versionKey(item.model, item.version));
      if (item.kind === 'decision') windows.set(windowKey(item.model, item.version, item.startMs), item);
    }
    const binnings = await this.loadBinnings(manager, dialect, versions);
    const newBinnings: { model: string; version: string; binning: DriftBinning; position: bigint }[] = [];
    const counting = new Map<string, Counting>();
    const fix = (model: string, version: string, binning: DriftBinning, position: bigint): void => {
      binnings.set(versionKey(model, version), binning);
      newBinnings.push({ model, version, binning, position });
    };
    const state = await this.loadWindows(manager, dialect, [...windows.values()]);

    for (const item of prepared.items) {
      const vk = versionKey(item.model, item.version);
      if (item.kind === 'registered') {
        if (!binnings.has(vk) && item.binning) fix(item.model, item.version, item.binning, item.position);
        continue;
      }
      const names = prepared.names[item.names] as string[];
      // A version never registered (decisions from before the registry) is counted by its first decision's columns.
      if (!binnings.has(vk)) fix(item.model, item.version, { kind: 'first-window', series: [...names, SCORE_SERIES] }, item.position);
      let c = counting.get(vk);
      if (c === undefined) counting.set(vk, (c = countingFor(binnings.get(vk) as DriftBinning)));
      const key = windowKey(item.model, item.version, item.startMs);
      let w = state.get(key);
      if (w === undefined) {
        state.set(key, (w = { model: item.model, version: item.version, startMs: item.startMs, decisions: 0, histograms: {}, lastPosition: 0n, changed: false }));
      }
      if (item.position <= w.lastPosition) continue; // counted already
      count(w, c, names, item.values, item.score);
      w.lastPosition = item.position;
      w.changed = true;
    }

    await this.insertBinnings(manager, dialect, newBinnings);
    await this.saveWindows(manager, dialect, [...state.values()].filter((w) => w.changed));
  }

  async truncate(manager: EntityManager): Promise<void> {
    await emptyTable(manager, DriftWindowRecord);
    await emptyTable(manager, DriftBinningRecord);
  }

  private decision(event: RecordedEvent): DecisionMade {
    let d: DecisionMade;
    try {
      d = upcastDecisionMade(event.data);
    } catch {
      throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `schemaVersion ${String((event.data as { schemaVersion?: unknown }).schemaVersion)}`);
    }
    if (!d.model || !d.features || d.features.names.length !== d.features.values.length || typeof d.score !== 'number') {
      throw new UnsupportedEventSchemaError(this.name, event.type, event.position, 'model, features or score missing');
    }
    return d;
  }

  /** How a newly registered version is counted: by its training statistics, else by fine keys; null if it cannot decide. */
  private registeredBinning(r: ModelVersionRegisteredV1, event: RecordedEvent): DriftBinning | null {
    const names = r.manifest?.features?.map(featureColumnName);
    if (names === undefined) return null;
    if (r.manifest.trainingStatistics === undefined) return { kind: 'first-window', series: [...names, SCORE_SERIES] };
    const parsed = trainingStatisticsSchema.safeParse(r.manifest.trainingStatistics);
    if (!parsed.success) throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `manifest.trainingStatistics: ${parsed.error.issues[0]?.message}`);
    return { kind: 'training', statistics: parsed.data };
  }

  private windowStart(d: DecisionMade, event: RecordedEvent): number {
    const ms = Date.parse(d.decidedAt);
    if (Number.isNaN(ms)) throw new UnsupportedEventSchemaError(this.name, event.type, event.position, `decidedAt is not a date-time: "${d.decidedAt}"`);
    return Math.floor(ms / this.windowMs) * this.windowMs;
  }

  private async loadBinnings(manager: EntityManager, dialect: ReadModelDialect, keys: ReadonlySet<string>): Promise<Map<string, DriftBinning>> {
    const found = new Map<string, DriftBinning>();
    if (keys.size === 0) return found;
    const pairs = [...keys].map((k) => k.split('\u0000') as [string, string]);
    let n = 0;
    const rows: { model_name: string; model_version: string; kind: string; binning: string }[] = await manager.query(
      `SELECT "model_name", "model_version", "kind", "binning" FROM ${tableOf(manager, DriftBinningRecord)}
       WHERE ("model_name", "model_version") IN (${pairs.map(() => `(${param(dialect, ++n)}, ${param(dialect, ++n)})`).join(', ')})`,
      pairs.flat(),
    );
    for (const r of rows) found.set(versionKey(r.model_name, r.model_version), parseBinning(r.kind, r.binning));
    return found;
  }

  private async loadWindows(
    manager: EntityManager,
    dialect: ReadModelDialect,
    keys: readonly { model: string; version: string; startMs: number }[],
  ): Promise<Map<string, WindowState>> {
    const state = new Map<string, WindowState>();
    if (keys.length === 0) return state;
    let n = 1;
    const rows: { model_name: string; model_version: string; window_start: unknown; decisions: number; histograms: string; last_position: string }[] =
      await manager.query(
        `SELECT "model_name", "model_version", "window_start", "decisions", "histograms", CAST("last_position" AS TEXT) AS "last_position"
         FROM ${tableOf(manager, DriftWindowRecord)}
         WHERE "window_seconds" = ${param(dialect, 1)}
           AND ("model_name", "model_version", "window_start") IN (${keys.map(() => `(${param(dialect, ++n)}, ${param(dialect, ++n)}, ${param(dialect, ++n)})`).join(', ')})`,
        [this.windowSeconds, ...keys.flatMap((k) => [k.model, k.version, timestampParam(dialect, new Date(k.startMs))])],
      );
    for (const r of rows) {
      const startMs = timestampValue(r.window_start).getTime();
      state.set(windowKey(r.model_name, r.model_version, startMs), {
        model: r.model_name,
        version: r.model_version,
        startMs,
        decisions: Number(r.decisions),
        histograms: JSON.parse(r.histograms) as Record<string, Record<string, number>>,
        lastPosition: BigInt(r.last_position),
        changed: false,
      });
    }
    return state;
  }

  private async insertBinnings(
    manager: EntityManager,
    dialect: ReadModelDialect,
    rows: readonly { model: string; version: string; binning: DriftBinning; position: bigint }[],
  ): Promise<void> {
    for (const r of rows) {
      const body = r.binning.kind === 'training' ? r.binning.statistics : { series: r.binning.series };
      await manager.query(
        `INSERT INTO ${tableOf(manager, DriftBinningRecord)} ("model_name", "model_version", "kind", "binning", "position")
         VALUES (${[1, 2, 3, 4, 5].map((i) => param(dialect, i)).join(', ')}) ON CONFLICT ("model_name", "model_version") DO NOTHING`,
        [r.model, r.version, r.binning.kind, JSON.stringify(body), bigintParam(dialect, r.position)],
      );
    }
  }

  private async saveWindows(manager: EntityManager, dialect: ReadModelDialect, windows: readonly WindowState[]): Promise<void> {
    if (windows.length === 0) return;
    let n = 0;
    const values = windows.map(() => `(${Array.from({ length: 7 }, () => param(dialect, ++n)).join(', ')})`).join(', ');
    await manager.query(
      `INSERT INTO ${tableOf(manager, DriftWindowRecord)}
         ("model_name", "model_version", "window_seconds", "window_start", "decisions", "histograms", "last_position")
       VALUES ${values}
       ON CONFLICT ("model_name", "model_version", "window_seconds", "window_start")
       DO UPDATE SET "decisions" = excluded."decisions", "histograms" = excluded."histograms", "last_position" = excluded."last_position"`,
      windows.flatMap((w) => [
        w.model,
        w.version,
        this.windowSeconds,
        timestampParam(dialect, new Date(w.startMs)),
        w.decisions,
        JSON.stringify(w.histograms),
        bigintParam(dialect, w.lastPosition),
      ]),
    );
  }
}

const windowKey = (model: string, version: string, startMs: number): string => `${versionKey(model, version)}\u0000${startMs}`;

function countingFor(binning: DriftBinning): Counting {
  if (binning.kind === 'first-window') return { binning, edges: new Map() };
  const edges = new Map<string, readonly number[] | undefined>(binning.statistics.features.map((f) => [f.name, f.edges]));
  edges.set(SCORE_SERIES, binning.statistics.score.edges);
  return { binning, edges };
}

/** Adds one decision's feature values and score to its window. A feature the training statistics lack is not counted. */
function count(w: WindowState, c: Counting, names: readonly string[], values: readonly number[], score: number): void {
  const training = c.binning.kind === 'training';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const edges = c.edges.get(name);
    if (training && edges === undefined) continue;
    add(w.histograms, name, histogramKey(edges, values[i] as number));
  }
  add(w.histograms, SCORE_SERIES, histogramKey(c.edges.get(SCORE_SERIES), score));
  w.decisions += 1;
}

function add(histograms: Record<string, Record<string, number>>, series: string, key: number): void {
  const counts = (histograms[series] ??= {});
  const k = String(key);
  counts[k] = (counts[k] ?? 0) + 1;
}
