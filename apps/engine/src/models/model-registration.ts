import {
  newEventId,
  decideRegistration,
  MODEL_VERSION_REGISTERED,
  modelStreamId,
  type ModelManifest,
  type ModelVersionRegisteredV1,
} from '@verdict/domain';
import type { ArtifactStore } from '@verdict/artifact-store';
import { isWrongExpectedRevision, NO_STREAM, type EventStore } from '@verdict/event-store';
import type { ModelCatalog } from './model-catalog';
import { checkModelUpload } from './model-upload-check';

/** The same version is registered with other bytes or another manifest (409). */
export class ModelVersionConflictError extends Error {
  constructor(
    readonly registered: ModelVersionRegisteredV1,
    readonly differs: readonly string[],
  ) {
    super(
      `${registered.name}@${registered.version} is already registered with other ${differs.join(' and ')} ` +
        `(sha256 ${registered.sha256}); register the change as a new version.`,
    );
    this.name = 'ModelVersionConflictError';
  }
}

export interface RegistrationResult {
  readonly created: boolean;
  readonly registered: ModelVersionRegisteredV1;
}

const MAX_ATTEMPTS = 5;

/**
 * Registers a model version: check the upload (nothing is written if it is unusable), store the bytes (and the
 * served rewrite) durably in the artifact store, then append ModelVersionRegistered to `model-<name>` with the exact
 * expected revision. A concurrent registration of another version of the same model makes the append retry on the
 * new stream state; the same version twice gives one registration and one "same" (200) or conflict (409).
 */
export class ModelRegistration {
  constructor(
    private readonly store: EventStore,
    private readonly artifacts: ArtifactStore,
    private readonly catalog: ModelCatalog,
  ) {}

  async register(name: string, version: string, bytes: Uint8Array, manifest: ModelManifest, actor: string): Promise<RegistrationResult> {
    const checked = await checkModelUpload(bytes, manifest, `${name}@${version}`);
    const candidate = {
      name,
      version,
      sha256: checked.sha256,
      servedSha256: checked.servedSha256,
      sizeBytes: checked.sizeBytes,
      rewrites: checked.rewrites,
      signature: checked.signature,
      manifest: checked.manifest,
    };
    let stored = false;
    for (let attempt = 1; ; attempt++) {
      const history = await this.catalog.history(name);
      const decision = decideRegistration(history, candidate, { now: new Date().toISOString(), actor });
      if (decision.kind === 'same') return { created: false, registered: decision.registered };
      if (decision.kind === 'conflict') throw new ModelVersionConflictError(decision.registered, decision.differs);
      if (!stored) {
        // Bytes first: an event must never name bytes that are not durably stored.
        await this.artifacts.put(bytes);
        if (checked.rewrites.length > 0) await this.artifacts.put(checked.served);
        stored = true;
      }
      try {
        await this.store.appendToStream(
          modelStreamId(name),
          [{ id: newEventId(), type: MODEL_VERSION_REGISTERED, data: decision.event as unknown as Record<string, unknown>, metadata: { actor } }],
          { expectedRevision: history.lastRevision ?? NO_STREAM },
        );
        return { created: true, registered: decision.event };
      } catch (error) {
        if (!isWrongExpectedRevision(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
