import {
  CHALLENGER_DEPLOYED,
  CHAMPION_CHANGED,
  decideDeployment,
  evolveDeployment,
  INITIAL_DEPLOYMENT_STATE,
  MODEL_VERSION_REGISTERED,
  MODEL_VERSION_RETIRED,
  type DeploymentCommand,
  type DeploymentState,
  type ModelVersionRegisteredV1,
} from '@verdict/domain';
import type { RecordedEvent } from '@verdict/event-store/event-store.port';
import { UnsupportedEventSchemaError } from '../read-model.errors';
import { DecisionQueries } from '../queries/decision-queries';
import { DeploymentHistoryQueries } from '../queries/deployment-history.queries';
import { ModelListQueries } from '../queries/model-list.queries';
import { DecisionMadeFixture } from '../testing/decision-made.fixture';
import { readModelTestTargets, type TestReadModel } from '../testing/read-model-test-targets';
import { applyProjectionBatch } from './apply-projection-batch';
import { ReadModelProjections } from './read-model-projections';

const registered = (version: string, features = true): ModelVersionRegisteredV1 => ({
  schemaVersion: 1, name: 'fraud', version, sha256: version.padEnd(64, 'a'), servedSha256: version.padEnd(64, 'b'), sizeBytes: 10, rewrites: [],
  signature: { inputs: [{ name: 'input', elementType: 'float32', shape: ['N', 2] }], outputs: [] },
  manifest: features ? { features: ['amount', 'hour_of_day'], policy: { version: `p-${version}`, reviewThreshold: 0.2, declineThreshold: 0.8 } } : {},
  registeredAt: '2026-03-01T10:00:00.000Z', actor: 'alice',
});

/** A log with registrations, deployment changes and decisions interleaved, as the engine writes it. */
class Log {
  private position = 0n;
  private readonly revisions = new Map<string, bigint>();
  state: DeploymentState = INITIAL_DEPLOYMENT_STATE;
  private minute = 0;

  event(streamId: string, type: string, data: unknown): RecordedEvent {
    const revision = (this.revisions.get(streamId) ?? -1n) + 1n;
    this.revisions.set(streamId, revision);
    this.position += 3n;
    return { id: `${streamId}-${revision}`, type, streamId, revision, position: this.position, data: data as Record<string, unknown>, metadata: {}, recordedAt: new Date() };
  }

  deploy(command: DeploymentCommand, actor = 'alice'): RecordedEvent {
    const versions = new Map(['1', '2'].map((v) => [v, registered(v)]));
    const event = decideDeployment(this.state, command, {
      actor,
      now: new Date(Date.parse('2026-03-03T14:00:00Z') + 60_000 * ++this.minute).toISOString(),
      lookup: (ref) => {
        const r = versions.get(ref.version);
        return r && { model: { name: r.name, version: r.version, sha256: r.sha256, servedSha256: r.servedSha256 }, retired: false, decides: true, recommendedPolicy: r.manifest.policy ?? null };
      },
      newDeploymentId: () => 'dep-1',
    });
    this.state = evolveDeployment(this.state, event);
    return this.event('deployment-decisions', event.type, event.data);
  }
}

describe.each(readModelTestTargets())('registry and deployment read models on $kind', (target) => {
  let model: TestReadModel;
  const projection = new ReadModelProjections();
  beforeEach(async () => (model = await target.open()));
  afterEach(async () => model.dispose());

  it('applies a mixed batch in order, each event to its part, and a redelivery changes nothing', async () => {
    const log = new Log();
    const fixture = new DecisionMadeFixture('mixed');
    const decision = (arm: 'champion' | 'challenger', version: string) => {
      const e = fixture.event();
      return log.event(e.streamId, e.event.type, { ...e.data, schemaVersion: 2, model: { ...e.data.model, name: 'fraud', version }, deployment: { revision: log.state.revision, arm, bucket: null } });
    };
    const events = [
      log.event('model-fraud', MODEL_VERSION_REGISTERED, registered('1')),
      log.event('model-fraud', MODEL_VERSION_REGISTERED, registered('2')),
      log.event('model-raw', MODEL_VERSION_REGISTERED, { ...registered('1', false), name: 'raw' }),
      log.deploy({ kind: 'set-champion', model: { name: 'fraud', version: '1' }, reason: 'bootstrap' }, 'bootstrap'),
      decision('champion', '1'),
      log.deploy({ kind: 'deploy-challenger', model: { name: 'fraud', version: '2' }, mode: 'canary', trafficPercent: 10, reason: 'try' }),
      decision('challenger', '2'),
      decision('champion', '1'),
      log.event('model-raw', MODEL_VERSION_RETIRED, { schemaVersion: 1, name: 'raw', version: '1', reason: 'unused', retiredAt: '2026-03-04T00:00:00.000Z', actor: 'bob' }),
    ];
    const first = await applyProjectionBatch(model.dataSource, projection, events, 0n);
    expect(first).toEqual({ checkpoint: events.at(-1)!.position, applied: events.length });

    const list = await new ModelListQueries(model.dataSource).list();
    expect(list.items).toEqual([
      { name: 'fraud', versions: [expect.objectContaining({ version: '1', decides: true, retiredAt: null }), expect.objectContaining({ version: '2', decides: true })] },
      { name: 'raw', versions: [expect.objectContaining({ version: '1', decides: false, retiredAt: '2026-03-04T00:00:00.000Z' })] },
    ]);

    const history = new DeploymentHistoryQueries(model.dataSource);
    const page = await history.list({ limit: 1 });
    expect(page.items).toEqual([expect.objectContaining({ revision: 2, type: CHALLENGER_DEPLOYED, actor: 'alice', reason: 'try', automatic: false })]);
    const rest = await history.list({ limit: 10, cursor: page.nextCursor! });
    expect(rest).toEqual({ items: [expect.objectContaining({ revision: 1, type: CHAMPION_CHANGED, actor: 'bootstrap' })], nextCursor: null });

    const at = await history.stateAt(new Date('2026-03-03T14:01:30Z'));
    expect(at).toMatchObject({ revision: 1, state: { champion: { version: '1' }, challenger: null } });
    expect((await history.stateAt(new Date('2026-03-03T15:00:00Z'))).state).toEqual(log.state);
    expect(await history.stateAt(new Date('2026-03-03T13:00:00Z'))).toEqual({ revision: 0, state: INITIAL_DEPLOYMENT_STATE });

    const decisions = new DecisionQueries(model.dataSource);
    expect((await decisions.list({ arm: 'challenger' })).items.map((d) => [d.arm, d.modelVersion, d.deploymentRevision])).toEqual([['challenger', '2', 2]]);
    expect((await decisions.list({ model: 'fraud', modelVersion: '1' })).items).toHaveLength(2);

    // The same events again, and a rebuild-style replay from 0 into the same tables: nothing changes.
    await applyProjectionBatch(model.dataSource, projection, events, first.checkpoint);
    expect(await new ModelListQueries(model.dataSource).list()).toEqual(list);
    expect((await history.list({ limit: 10 })).items).toHaveLength(2);
  });

  it('stops on a gap in the deployment stream instead of storing a state that skipped a change', async () => {
    const log = new Log();
    const first = log.deploy({ kind: 'set-champion', model: { name: 'fraud', version: '1' }, reason: 'a' });
    log.deploy({ kind: 'set-champion', model: { name: 'fraud', version: '2' }, reason: 'b' }); // lost
    const third = log.deploy({ kind: 'set-champion', model: { name: 'fraud', version: '1' }, reason: 'c' });
    const error = await applyProjectionBatch(model.dataSource, projection, [first, third], 0n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedEventSchemaError);
    expect((await new DeploymentHistoryQueries(model.dataSource).list({ limit: 10 })).items).toEqual([]); // the batch rolled back
  });
});
