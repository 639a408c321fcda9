import { ArtifactAlteredError, ArtifactMissingError, getVerified, type ArtifactStore } from '@verdict/artifact-store';
import type { DecisionMade, ModelUnavailable } from '@verdict/domain';
import { ReplaySession, type RecordedRun } from '@verdict/model-runtime';

export type ReplayModel =
  | { readonly kind: 'session'; readonly key: string; readonly session: ReplaySession }
  | { readonly kind: 'unavailable'; readonly why: ModelUnavailable; readonly detail?: string };

/** How the decision ran its model, from its event. */
export function recordedRun(decision: DecisionMade): RecordedRun {
  const { model } = decision;
  return {
    inputName: model.inputName,
    outputNames: model.outputNames,
    scoreOutput: model.scoreOutput,
    executionProviders: model.runtime.executionProviders,
    sessionOptions: model.runtime.sessionOptions,
  };
}

/**
 * The sessions of one replay: one per (model bytes, recorded run), opened on the bytes fetched by the recorded sha256
 * and hashed again, so decisions are batched by model. A missing or altered artifact is a finding about those
 * decisions, not a failure of the replay; any other store error fails it (never swallowed).
 */
export class ReplayModels {
  private readonly models = new Map<string, Promise<ReplayModel>>();

  constructor(private readonly artifacts: ArtifactStore) {}

  for(decision: DecisionMade): Promise<ReplayModel> {
    const { model: m } = decision;
    // Called once per decision: a cheap key (JSON.stringify keeps the stored key order, at worst one more session).
    const key = `${m.sha256}|${decision.features.names.length}|${m.inputName}|${m.outputNames.join(',')}|${m.scoreOutput.name}:${m.scoreOutput.column}|${JSON.stringify(m.runtime)}`;
    let model = this.models.get(key);
    if (!model) {
      model = this.open(m.sha256, recordedRun(decision), key);
      this.models.set(key, model);
    }
    return model;
  }

  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.models.values());
    this.models.clear();
    for (const m of opened) if (m.status === 'fulfilled' && m.value.kind === 'session') await m.value.session.close();
  }

  private async open(sha256: string, run: RecordedRun, key: string): Promise<ReplayModel> {
    let bytes: Uint8Array;
    try {
      bytes = await getVerified(this.artifacts, sha256);
    } catch (e) {
      if (e instanceof ArtifactMissingError) return { kind: 'unavailable', why: 'missing' };
      if (e instanceof ArtifactAlteredError) return { kind: 'unavailable', why: 'altered', detail: `the stored bytes hash to ${e.actual}` };
      throw e;
    }
    return { kind: 'session', key, session: await ReplaySession.open(bytes, run, `artifact:${sha256}`) };
  }
}
