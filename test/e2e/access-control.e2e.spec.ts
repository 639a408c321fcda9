import { statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { ROLES } from '@verdict/domain';
import { RouteAccessCatalog } from '../../apps/engine/src/access/route-access-catalog';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { DECISION_SUBSCRIBERS, graphql, metricReaches, subscribe, wsClient } from '../support/graphql-client';

type Operation = { 'x-verdict-roles': readonly string[] | 'public'; security: unknown[] };

/** Who may do what, over real HTTP and WebSocket, on the embedded default. */
describe('access control', () => {
  let engine: RunningEngine;
  const keys: Record<string, string> = {};
  const as = (key: string | undefined, extra: Record<string, string> = {}) => ({ ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra });
  const call = (method: string, path: string, key: string | undefined, body?: unknown) =>
    fetch(engine.url + path, {
      method,
      headers: as(key, body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (res: Response): Promise<any> => res.json();

  beforeAll(async () => {
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    for (const role of ROLES) keys[role] = await engine.createKey(`${role}-system`, [role]);
  });
  afterAll(() => engine?.stop());

  it('writes the admin key of a fresh data directory to keys/admin.key, mode 0600', () => {
    expect(statSync(engine.config.security.adminKeyPath).mode & 0o777).toBe(0o600);
    expect(engine.adminKey).toMatch(/^vdk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 problem+json without a valid credential, before reading the body, and names no route', async () => {
    for (const key of [undefined, 'vdk_nope', `vdk_${'a'.repeat(16)}_${'b'.repeat(43)}`, keys.decide!.slice(0, -1) + (keys.decide!.endsWith('A') ? 'B' : 'A')]) {
      const res = await call('POST', '/v1/decisions', key, decisionRequest());
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject({ type: '/problems/unauthenticated', status: 401 });
    }
    expect((await call('GET', '/v1/no-such-route', undefined)).status).toBe(401);
    expect((await call('GET', '/v1/no-such-route', keys.decide)).status).toBe(404);
    expect((await call('GET', '/health/live', undefined)).status).toBe(200);
    expect((await call('GET', '/health/ready', undefined)).status).toBe(200);
    // An Upgrade header on a plain request is not a WebSocket handshake: it is authenticated like any other.
    const spoofed = (method: string, path: string, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${engine.url}${path}`, { method, headers: { upgrade: 'websocket', 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await spoofed('POST', '/graphql', JSON.stringify({ query: '{ decisions(first: 1) { edges { cursor } } }' }))).toBe(401);
    expect(await spoofed('GET', `/graphql?query=${encodeURIComponent('{ __schema { types { name } } }')}`)).toBe(401);
  });

  it('keeps each role to its routes: decide cannot read histories, analyze cannot deploy', async () => {
    const made = await call('POST', '/v1/decisions', keys.decide, decisionRequest());
    expect(made.status).toBe(201);
    const { decisionId } = await json(made);
    const read = await call('GET', `/v1/decisions?cardId=card-e2e-1`, keys.decide);
    expect(read.status).toBe(403);
    expect(await json(read)).toMatchObject({ type: '/problems/forbidden', requiredRoles: ['analyze', 'audit'] });
    expect((await call('GET', `/v1/decisions/${decisionId}`, keys.decide)).status).toBe(403);
    const deploy = await call('PUT', '/v1/deployment/champion', keys.analyze, { model: 'fraud-demo', version: '1.0.0', reason: 'not mine to do' });
    expect(deploy.status).toBe(403);
    expect((await call('GET', `/v1/decisions/${decisionId}`, keys.analyze)).status).toBe(200);
    expect((await call('GET', '/metrics', keys.analyze)).status).toBe(403);
    expect((await call('GET', '/metrics', keys.operate)).status).toBe(200);
    expect((await call('POST', '/v1/keys', keys.operate, { client: 'x', roles: ['decide'] })).status).toBe(403);
  });

  it("walks every operation of the OpenAPI document: 401 without a key, 403 for every other role, admitted with its own", async () => {
    const doc = await json(await call('GET', '/openapi.json', undefined));
    const admitted = (status: number) => status !== 401 && status !== 403;
    let walked = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      const concrete = path.replace(/\{keyId\}/g, 'aaaaaaaaaaaaaaaa').replace(/\{[^}]+\}/g, 'x');
      for (const [method, operation] of Object.entries(item)) {
        const declared = operation['x-verdict-roles'];
        expect({ path, method, declared }).toEqual({ path, method, declared: expect.anything() });
        const body = ['post', 'put', 'patch'].includes(method) ? {} : undefined;
        const anonymous = await call(method.toUpperCase(), concrete, undefined, body);
        if (declared === 'public') {
          expect({ path, method, status: anonymous.status }).not.toEqual({ path, method, status: 401 });
          expect(operation.security).toEqual([]);
          continue;
        }
        expect({ path, method, status: anonymous.status }).toEqual({ path, method, status: 401 });
        for (const role of ROLES) {
          if (role === 'admin') continue;
          const res = await call(method.toUpperCase(), concrete, keys[role], body);
          await res.arrayBuffer();
          if (declared.includes(role)) expect({ path, method, role, admitted: admitted(res.status) }).toEqual({ path, method, role, admitted: true });
          else expect({ path, method, role, status: res.status }).toEqual({ path, method, role, status: 403 });
        }
        const admin = await call(method.toUpperCase(), concrete, keys.admin, body);
        await admin.arrayBuffer();
        expect({ path, method, admitted: admitted(admin.status) }).toEqual({ path, method, admitted: true });
        walked += 1;
      }
    }
    expect(walked).toBeGreaterThan(40);
    // And the document has every route the engine registered (HEAD is GET's twin), so the walk missed none.
    const documented = new Set(Object.entries(doc.paths as Record<string, object>).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p.replace(/\{([^}]+)\}/g, ':$1')}`)));
    const undocumented = engine.resolve(RouteAccessCatalog).routes().filter((r) => !r.startsWith('HEAD ') && !documented.has(r));
    expect(undocumented).toEqual([]);
  }, 120_000);

  it('puts the calling client and key id into the metadata of the events it causes', async () => {
    const made = await json(await call('POST', '/v1/decisions', keys.decide, decisionRequest()));
    const record = await json(await call('GET', `/v1/decisions/${made.decisionId}`, keys.audit));
    const keyId = keys.decide!.slice(4, 20);
    expect(record.metadata.caller).toEqual({ client: 'decide-system', keyId, kind: 'api-key' });
    const changed = await call('PUT', '/v1/deployment/policy', keys.operate, { target: 'champion', version: 'stricter-1', reviewThreshold: 0.4, declineThreshold: 0.9, reason: 'tighten' });
    expect(changed.status).toBe(200);
    const [last] = (await engine.store.readStream('deployment-decisions')).slice(-1);
    expect(last!.metadata).toMatchObject({ actor: 'operate-system', caller: { client: 'operate-system', keyId: keys.operate!.slice(4, 20), kind: 'api-key' } });
  });

  it('stamps each of many concurrent decisions with its own caller', async () => {
    // Requests that arrive in one turn are decided together (DecisionCoalescer), never under one caller; the grouping
    // itself is pinned by decision-coalescer.spec.ts, since arrival turns depend on timing here.
    const callers = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 'admin' : i % 3 === 1 ? 'decide' : 'none'));
    const bodies = callers.map(() => decisionRequest());
    const answers = await Promise.all(bodies.map((body, i) => call('POST', '/v1/decisions', callers[i] === 'admin' ? engine.adminKey : callers[i] === 'decide' ? keys.decide : undefined, body)));
    expect(answers.map((a) => a.status)).toEqual(callers.map((c) => (c === 'none' ? 401 : 201)));
    for (const [i, body] of bodies.entries()) {
      const events = await engine.store.readStream(`decision-${body.transactionId as string}`).catch(() => []);
      if (callers[i] === 'none') expect(events).toHaveLength(0);
      else expect(events[0]!.metadata.caller).toMatchObject({ client: callers[i] === 'admin' ? 'admin' : 'decide-system' });
    }
  });

  it("keeps a system's people its own: the actor a key names is recorded under the key's client", async () => {
    const policy = await call('PUT', '/v1/deployment/policy', keys.operate, { target: 'champion', version: 'review-everything', reviewThreshold: 0, declineThreshold: 1, reason: 'every decision to review' });
    expect(policy.status).toBe(200);
    const made = await json(await call('POST', '/v1/decisions', keys.decide, decisionRequest()));
    expect(made.outcome).toBe('review');
    const caseTool = await engine.createKey('case-tool', ['analyze']);
    const otherTool = await engine.createKey('other-tool', ['analyze']);
    const claim = await fetch(`${engine.url}/v1/reviews/${made.decisionId}/claim`, { method: 'POST', headers: as(caseTool, { 'x-verdict-actor': 'kim', 'content-type': 'application/json' }), body: '{}' });
    expect(await json(claim)).toMatchObject({ reviewer: 'case-tool/kim' });
    const impostor = await fetch(`${engine.url}/v1/reviews/${made.decisionId}/resolution`, { method: 'POST', headers: as(otherTool, { 'x-verdict-actor': 'kim', 'content-type': 'application/json' }), body: JSON.stringify({ resolution: 'legitimate' }) });
    expect(impostor.status).toBe(409);
  });

  it('stops a revoked key at once, and records its creation and revocation as events', async () => {
    const key = await engine.createKey('short-lived', ['decide']);
    const keyId = key.slice(4, 20);
    expect((await call('POST', '/v1/decisions', key, decisionRequest())).status).toBe(201);
    const revoked = await call('POST', `/v1/keys/${keyId}/revoke`, engine.adminKey, { reason: 'rotated' });
    expect(revoked.status).toBe(200);
    expect(await json(revoked)).toMatchObject({ keyId, client: 'short-lived', revokedBy: 'admin' });
    const refused = await call('POST', '/v1/decisions', key, decisionRequest());
    expect(refused.status).toBe(401);
    expect((await json(refused)).detail).toMatch(/revoked/);
    expect((await call('POST', `/v1/keys/${keyId}/revoke`, engine.adminKey, {})).status).toBe(409);
    const events = await engine.store.readStream('api-keys');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ApiKeyCreated', 'ApiKeyRevoked']));
    const created = events.find((e) => e.type === 'ApiKeyCreated' && e.data.keyId === keyId)!;
    expect(JSON.stringify(created.data)).not.toContain(key.slice(21)); // the secret is nowhere in the log
    const listed = await json(await call('GET', '/v1/keys', engine.adminKey));
    expect(listed.items.find((k: { keyId: string }) => k.keyId === keyId)).toMatchObject({ revokedAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toMatch(/secretHash|salt/);
  });

  it('applies roles to GraphQL fields, over HTTP and over WebSocket (connectionParams.authorization)', async () => {
    const denied = await graphql({ url: engine.url, adminKey: keys.decide! }, '{ decisions(first: 1) { edges { cursor } } }');
    expect(denied.status).toBe(403);
    const operator = { url: engine.url, adminKey: keys.operate! };
    expect((await graphql(operator, '{ decisions(first: 1) { edges { cursor } } }')).body.errors?.[0]?.extensions).toMatchObject({ code: 'forbidden', requiredRoles: ['analyze'] });
    expect((await graphql(operator, '{ models { name } }')).body.data?.models).toEqual(expect.arrayContaining([{ name: 'fraud-demo' }]));
    const analyst = await graphql({ url: engine.url, adminKey: keys.analyze! }, '{ decisions(first: 1) { edges { cursor } } }');
    expect(analyst.body.errors).toBeUndefined();

    const refused = wsClient({ url: engine.url, adminKey: 'vdk_not-a-key' });
    const failed = subscribe(refused, 'subscription { decisionMade { decisionId } }');
    await expect(failed.next()).rejects.toBeDefined();
    await refused.dispose();
    const watcher = await engine.createKey('live-watcher', ['analyze']);
    const client = wsClient({ url: engine.url, adminKey: watcher });
    try {
      const sub = subscribe<{ decisionMade: { decisionId: string } }>(client, 'subscription Watch { decisionMade { decisionId } }');
      await metricReaches(engine, DECISION_SUBSCRIBERS, 1);
      const made = await json(await call('POST', '/v1/decisions', keys.decide, decisionRequest()));
      expect((await sub.next()).value?.data?.decisionMade.decisionId).toBe(made.decisionId);
      // Revoked: the open subscription delivers nothing more; it ends, and what it delivered is in the access log.
      expect((await call('POST', `/v1/keys/${watcher.slice(4, 20)}/revoke`, engine.adminKey, {})).status).toBe(200);
      await call('POST', '/v1/decisions', keys.decide, decisionRequest());
      await expect(sub.next()).rejects.toBeDefined();
      const log = await json(await call('GET', '/v1/audit/access?client=live-watcher', keys.audit));
      expect(log.items.map((r: { operation: string; records: number }) => [r.operation, r.records])).toEqual([
        ['graphql:Watch.decisionMade', 0],
        ['graphql:Watch.decisionMade', 1],
      ]);
    } finally {
      await client.dispose();
    }
  });
});

describe('VERDICT_METRICS_PUBLIC=true', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0', VERDICT_METRICS_PUBLIC: 'true' });
  });
  afterAll(() => engine?.stop());

  it('opens /metrics to callers without a key, and nothing else', async () => {
    expect((await fetch(`${engine.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${engine.url}/v1/decisions`)).status).toBe(401);
    expect((await fetch(`${engine.url}/v1/deployment`)).status).toBe(401);
  });
});
