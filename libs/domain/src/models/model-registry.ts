import { canonicalJson } from '../canonical-json';
import {
  MODEL_VERSION_REGISTERED,
  MODEL_VERSION_RETIRED,
  type ModelVersionRegisteredV1,
  type ModelVersionRetiredV1,
} from './model-events';

/** A version as its model stream tells it. */
export interface RegisteredModelVersion {
  readonly registered: ModelVersionRegisteredV1;
  readonly retired: ModelVersionRetiredV1 | null;
}

/** A model's stream folded: every version, and the stream's last revision (for the next append's expectation). */
export class ModelHistory {
  private constructor(
    readonly name: string,
    private readonly versions: ReadonlyMap<string, RegisteredModelVersion>,
    /** Revision of the stream's last event; null when the stream does not exist yet. */
    readonly lastRevision: bigint | null,
  ) {}

  static empty(name: string): ModelHistory {
    return new ModelHistory(name, new Map(), null);
  }

  static fold(name: string, events: readonly { type: string; data: unknown; revision: bigint }[]): ModelHistory {
    return events.reduce((h, e) => h.apply(e.type, e.data, e.revision), ModelHistory.empty(name));
  }

  apply(type: string, data: unknown, revision: bigint): ModelHistory {
    const versions = new Map(this.versions);
    if (type === MODEL_VERSION_REGISTERED) {
      const e = data as ModelVersionRegisteredV1;
      versions.set(e.version, { registered: e, retired: null });
    } else if (type === MODEL_VERSION_RETIRED) {
      const e = data as ModelVersionRetiredV1;
      const known = versions.get(e.version);
      if (known) versions.set(e.version, { ...known, retired: e });
    }
    return new ModelHistory(this.name, versions, revision);
  }

  version(version: string): RegisteredModelVersion | undefined {
    return this.versions.get(version);
  }

  /** Versions in registration order. */
  all(): RegisteredModelVersion[] {
    return [...this.versions.values()];
  }

  /** The newest version not retired: what a request without a version means when the model is not the champion. */
  latestActive(): RegisteredModelVersion | undefined {
    return this.all().filter((v) => v.retired === null).at(-1);
  }
}

/** What a registration asks for; `registeredAt` and `actor` are added when it is new. */
export type RegistrationCandidate = Omit<ModelVersionRegisteredV1, 'schemaVersion' | 'registeredAt' | 'actor'>;

export type RegistrationDecision =
  | { readonly kind: 'new'; readonly event: ModelVersionRegisteredV1 }
  /** The same bytes and manifest again: answer with what was registered (200). */
  | { readonly kind: 'same'; readonly registered: ModelVersionRegisteredV1 }
  /** The version exists with other bytes or another manifest (409). */
  | { readonly kind: 'conflict'; readonly registered: ModelVersionRegisteredV1; readonly differs: readonly ('bytes' | 'manifest')[] };

export function decideRegistration(
  history: ModelHistory,
  candidate: RegistrationCandidate,
  context: { readonly now: string; readonly actor: string },
): RegistrationDecision {
  const existing = history.version(candidate.version);
  if (existing === undefined) {
    return { kind: 'new', event: { schemaVersion: 1, ...candidate, registeredAt: context.now, actor: context.actor } };
  }
  const registered = existing.registered;
  const differs: ('bytes' | 'manifest')[] = [];
  if (registered.sha256 !== candidate.sha256) differs.push('bytes');
  if (canonicalJson(registered.manifest) !== canonicalJson(candidate.manifest)) differs.push('manifest');
  return differs.length === 0 ? { kind: 'same', registered } : { kind: 'conflict', registered, differs };
}

export type RetirementDecision =
  | { readonly kind: 'retire'; readonly event: ModelVersionRetiredV1 }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'already-retired'; readonly retired: ModelVersionRetiredV1 }
  /** Deployed versions cannot be retired (409): roll them out of the deployment first. */
  | { readonly kind: 'deployed'; readonly roles: readonly string[] };

export function decideRetirement(
  history: ModelHistory,
  version: string,
  deployedAs: readonly string[],
  context: { readonly now: string; readonly actor: string; readonly reason: string },
): RetirementDecision {
  const existing = history.version(version);
  if (existing === undefined) return { kind: 'not-found' };
  if (existing.retired) return { kind: 'already-retired', retired: existing.retired };
  if (deployedAs.length > 0) return { kind: 'deployed', roles: deployedAs };
  return {
    kind: 'retire',
    event: { schemaVersion: 1, name: history.name, version, reason: context.reason, retiredAt: context.now, actor: context.actor },
  };
}
