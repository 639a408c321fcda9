import { validateObject } from '../request-validation';
import { MODEL_VERSION_REGISTERED, MODEL_VERSION_RETIRED, type ModelVersionRegisteredV1 } from './model-events';
import { modelManifestSchema } from './model-manifest';
import { decideRegistration, decideRetirement, ModelHistory, type RegistrationCandidate } from './model-registry';

const candidate = (version: string, sha = 'a'.repeat(64), manifest = { features: ['amount'] }): RegistrationCandidate => ({
  name: 'fraud',
  version,
  sha256: sha,
  servedSha256: sha,
  sizeBytes: 10,
  rewrites: [],
  signature: { inputs: [], outputs: [] },
  manifest,
});
const ctx = { now: '2026-01-01T00:00:00.000Z', actor: 'alice' };
const registered = (c: RegistrationCandidate): ModelVersionRegisteredV1 => ({ schemaVersion: 1, ...c, registeredAt: ctx.now, actor: 'alice' });

describe('model registry', () => {
  const history = ModelHistory.fold('fraud', [{ type: MODEL_VERSION_REGISTERED, data: registered(candidate('1')), revision: 0n }]);

  it('registers a new version; the same bytes and manifest again are the same registration; other bytes or manifest conflict', () => {
    expect(decideRegistration(history, candidate('2'), ctx)).toMatchObject({ kind: 'new', event: { version: '2', actor: 'alice', registeredAt: ctx.now } });
    expect(decideRegistration(history, candidate('1'), { ...ctx, now: 'later' })).toMatchObject({ kind: 'same', registered: { registeredAt: ctx.now } });
    expect(decideRegistration(history, candidate('1', 'b'.repeat(64)), ctx)).toMatchObject({ kind: 'conflict', differs: ['bytes'] });
    expect(decideRegistration(history, candidate('1', 'a'.repeat(64), { features: ['hour'] }), ctx)).toMatchObject({ kind: 'conflict', differs: ['manifest'] });
  });

  it('compares manifests by meaning, not key order', () => {
    const a = candidate('1', 'a'.repeat(64), { features: ['amount'], description: 'x' } as never);
    const h = ModelHistory.fold('fraud', [{ type: MODEL_VERSION_REGISTERED, data: registered(a), revision: 0n }]);
    const b = candidate('1', 'a'.repeat(64), { description: 'x', features: ['amount'] } as never);
    expect(decideRegistration(h, b, ctx).kind).toBe('same');
  });

  it('retires a version unless it is deployed, unknown or already retired', () => {
    const reason = { ...ctx, reason: 'superseded' };
    expect(decideRetirement(history, '1', [], reason)).toMatchObject({ kind: 'retire', event: { name: 'fraud', version: '1', reason: 'superseded' } });
    expect(decideRetirement(history, '1', ['champion'], reason)).toEqual({ kind: 'deployed', roles: ['champion'] });
    expect(decideRetirement(history, '9', [], reason)).toEqual({ kind: 'not-found' });
    const retired = history.apply(MODEL_VERSION_RETIRED, { schemaVersion: 1, name: 'fraud', version: '1', reason: 'x', retiredAt: 'now', actor: 'bob' }, 1n);
    expect(decideRetirement(retired, '1', [], reason).kind).toBe('already-retired');
    expect(retired.lastRevision).toBe(1n);
    expect(retired.latestActive()).toBeUndefined();
  });

  it('validates a manifest with JSON Pointer paths', () => {
    const bad = validateObject(modelManifestSchema, { features: [], policy: { version: 'p', reviewThreshold: 0.9, declineThreshold: 0.1 }, extra: 1 }, '/manifest');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map((e) => e.path).sort()).toEqual(['/manifest/extra', '/manifest/features', '/manifest/policy/reviewThreshold']);
    }
    const good = validateObject(modelManifestSchema, {
      features: ['amount', { name: 'attributes.risk', default: 0.5 }],
      scoreOutput: { name: 'probabilities', column: 1 },
      trainingData: { uri: 's3://bucket/train.csv', sha256: 'c'.repeat(64) },
      metrics: { auc: 0.81, by: { fpr: [0.01] } },
    });
    expect(good.ok).toBe(true);
  });
});
