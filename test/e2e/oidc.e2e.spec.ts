import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

const ISSUER = 'https://idp.example.test/realms/fraud';

/**
 * People sign in with OIDC: JWTs from the configured issuer, verified against its JWKS (served here by a real HTTP
 * server, as an identity provider would), roles from a configured claim.
 */
describe('OIDC bearer tokens', () => {
  let engine: RunningEngine;
  let jwks: Server;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;
  let jwksFetches = 0;

  const token = (claims: Record<string, unknown>, options: { key?: KeyLike; issuer?: string; audience?: string; expiresIn?: string | number | null } = {}) => {
    const jwt = new SignJWT({ preferred_username: 'alice', realm_access: { roles: ['analyze', 'not-a-verdict-role'] }, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.key && options.key !== signingKey ? 'stranger' : 'idp-1' })
      .setSubject('3f0c8a52-alice')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? 'verdict')
      .setIssuedAt();
    if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
    return jwt.sign(options.key ?? signingKey);
  };
  const call = (method: string, path: string, bearer: string, body?: unknown) =>
    fetch(engine.url + path, { method, headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      jwksFetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    engine = await startEngine({
      VERDICT_WARMUP_DECISIONS: '0',
      VERDICT_OIDC_ISSUER: ISSUER,
      VERDICT_OIDC_JWKS_URL: `http://127.0.0.1:${port}/protocol/openid-connect/certs`,
      VERDICT_OIDC_AUDIENCE: 'verdict',
      VERDICT_OIDC_ROLES_CLAIM: 'realm_access.roles',
      VERDICT_OIDC_SUBJECT_CLAIM: 'preferred_username',
    });
  });
  afterAll(async () => {
    await engine?.stop();
    await new Promise((r) => jwks?.close(r));
  });

  it("admits a valid token with its roles, records the person in events and in the access log", async () => {
    const made = (await (await engine.post('/v1/decisions', decisionRequest())).json()) as { decisionId: string; transactionId: string; position: number };
    const alice = await token({});
    expect((await call('GET', `/v1/decisions/${made.decisionId}`, alice)).status).toBe(200);
    expect((await call('PUT', '/v1/deployment/champion', alice, { model: 'fraud-demo', version: '1.0.0', reason: 'x' })).status).toBe(403);
    const label = await call('POST', `/v1/transactions/${made.transactionId}/labels`, alice, { labelId: 'oidc-1', label: 'fraud', source: 'manual', reportedAt: new Date().toISOString() });
    expect(label.status).toBe(201);
    const [labelled] = (await engine.store.readStream(`decision-${made.transactionId}`)).filter((e) => e.type === 'TransactionLabelled');
    expect(labelled!.metadata).toMatchObject({ caller: { client: 'alice', keyId: `${ISSUER}#alice`, kind: 'oidc' } });
    expect(labelled!.data).toMatchObject({ recordedBy: 'alice' });
    const access = (await (await engine.get('/v1/audit/access?client=alice')).json()) as { items: { operation: string; caller: { kind: string } }[] };
    expect(access.items).toEqual([expect.objectContaining({ operation: 'GET /v1/decisions/:decisionId', caller: expect.objectContaining({ kind: 'oidc' }) })]);
  });

  it('refuses expired, never-expiring, foreign, mis-addressed and unsigned tokens with 401 problem+json', async () => {
    const refused = [
      await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await token({}, { issuer: 'https://evil.example.test' }),
      await token({}, { audience: 'another-api' }),
      await token({}, { key: strangerKey }),
      await token({}, { expiresIn: null }), // never expires: not accepted
      `${(await token({})).split('.').slice(0, 2).join('.')}.`,
    ];
    for (const t of refused) {
      const res = await call('GET', '/v1/decisions', t);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ type: '/problems/unauthenticated' });
    }
  });

  it('gives a token without Verdict roles nothing, and API keys keep working beside tokens', async () => {
    const nobody = await token({ realm_access: { roles: ['offline_access'] } });
    const res = await call('GET', '/v1/decisions', nobody);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: '/problems/forbidden' });
    expect((await engine.get('/v1/decisions')).status).toBe(200);
    expect(jwksFetches).toBeGreaterThanOrEqual(1);
  });
});
