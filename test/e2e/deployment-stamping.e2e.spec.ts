import type { ArtifactStore } from '@verdict/artifact-store';
import type { ModelVersionRegisteredV1 } from '@verdict/domain';
import { ModelLoader } from '../../apps/engine/src/deployment/model-loader';
import type { LoadedModel } from '../../apps/engine/src/deployment/loaded-model';
import { ARTIFACT_STORE } from '../../apps/engine/src/infrastructure/tokens';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { bootstrapModelBytes, bootstrapPolicy, change, register } from '../support/model-fixtures';

/** The real loader, held at a gate for one version: a change's model load that takes as long as the test wants. */
class GatedLoader extends ModelLoader {
  private gate: Promise<void> | undefined;
  private version: string | undefined;
  private open: (() => void) | undefined;
  private started: (() => void) | undefined;

  /** Holds the next load of `version`; resolves once that load has started. */
  hold(version: string): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.version = version;
    return new Promise((resolve) => (this.started = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  override async acquire(registered: ModelVersionRegisteredV1): Promise<LoadedModel> {
    if (this.gate && registered.version === this.version) {
      this.started?.();
      await this.gate;
    }
    return super.acquire(registered);
  }
}

describe("a deployment change's `at`", () => {
  let engine: RunningEngine;
  let loader: GatedLoader;

  beforeAll(async () => {
    engine = await startEngine({}, [{ provide: ModelLoader, useFactory: (artifacts: ArtifactStore) => (loader = new GatedLoader(artifacts)), inject: [ARTIFACT_STORE] }]);
    expect((await register(engine, 'fraud-demo', 'slow', bootstrapModelBytes(), { policy: bootstrapPolicy() })).status).toBe(201);
  });
  afterAll(async () => {
    loader?.release();
    await engine?.stop();
  });

  it('is stamped once its model is loaded: a decision the previous revision made meanwhile is before it', async () => {
    const before = await (await engine.get('/v1/deployment')).json();
    const loading = loader.hold('slow');
    const changing = change(engine, 'PUT', '/champion', { model: 'fraud-demo', version: 'slow', reason: 'a slow load' });
    await loading;
    const res = await engine.post('/v1/decisions', decisionRequest());
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made.deployment.revision).toBe(before.revision); // the change is not in force yet
    await new Promise((r) => setTimeout(r, 20));
    loader.release();
    const after = await changing;
    expect(after.revision).toBe(before.revision + 1);

    expect(Date.parse(after.since as string)).toBeGreaterThan(Date.parse(made.decidedAt));
    // So "what was live when it was decided" names the revision that decided it.
    const then = await (await engine.get(`/v1/deployment?at=${encodeURIComponent(made.decidedAt)}`)).json();
    expect(then.revision).toBe(made.deployment.revision);
  });
});
