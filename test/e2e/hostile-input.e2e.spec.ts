import fc from 'fast-check';
import { ROLES } from '@verdict/domain';
import { contractViolations, errorShapeOf, isExplainedWithoutWrite, sendHostile, type FuzzAnswer } from '../../tools/fuzz/answer-contract';
import { describeRequest, hostileRequests, operationsOf, type FuzzOperation, type HostileRequest, type KnownValues, type OpenApiDocument } from '../../tools/fuzz/hostile-requests';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

/** Fixed seeds: a failure prints its seed and path, and `seed` + `path` in fc.assert's options replay it. */
const SEED = 20_261_204;
/** Cases per operation: 56 operations today, so ~2,800 hostile requests with the admin key and ~2,200 without a valid one. */
const RUNS_PER_OPERATION = 50;
const RUNS_PER_OPERATION_UNAUTHORISED = 20;

/**
 * Property-based tests on every operation the OpenAPI document lists (walked, so a new route is covered without
 * anyone listing it): hostile path segments, query strings, headers and bodies, over real HTTP against one engine on
 * embedded SQLite. Whatever comes in, the answer is never 5xx, every 4xx keeps the error contract, and a refused
 * request writes nothing but the access log.
 */
describe('hostile input on every operation (fast-check)', () => {
  let engine: RunningEngine;
  let document: OpenApiDocument;
  let operations: FuzzOperation[];
  let known: KnownValues;
  const keys: Record<string, string> = {};
  let revokedKey: string;

  beforeAll(async () => {
    // Nothing appends on its own during the run (no seal, no performance check), so every event after a request is its.
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0', VERDICT_SEAL_INTERVAL_SECONDS: '86400', VERDICT_SEAL_MAX_EVENTS: '1000000', VERDICT_PERFORMANCE_CHECK_SECONDS: '0' });
    document = (await (await engine.get('/openapi.json')).json()) as OpenApiDocument;
    operations = operationsOf(document);
    const made = await (await engine.post('/v1/decisions', decisionRequest())).json();
    const replay = await (await engine.post('/v1/replays', {})).json();
    for (const role of ROLES) keys[role] = await engine.createKey(`fuzz-${role}`, [role]);
    const victim = await engine.createKey('fuzz-victim', ['decide']);
    revokedKey = await engine.createKey('fuzz-revoked', ['decide']);
    await engine.post(`/v1/keys/${revokedKey.slice(4, 20)}/revoke`, { reason: 'fuzz' });
    known = {
      decisionId: [made.decisionId],
      transactionId: [made.transactionId],
      name: ['fraud-demo'],
      version: ['1.0.0', '2.0.0'],
      replayId: [replay.replayId],
      keyId: [victim.slice(4, 20)],
      code: ['validation-failed', 'not-found'],
    };
  });
  afterAll(() => engine?.stop());

  /** Sends one request; the answer's contract violations, plus any event a refused request left behind. */
  const judge = async (request: HostileRequest, authorization: string | undefined): Promise<{ answer: FuzzAnswer; problems: string[] }> => {
    const head = await engine.store.headPosition();
    const answer = await sendHostile(engine.url, request, authorization);
    const problems = contractViolations(request, answer);
    if (answer.status < 200 || answer.status >= 300) {
      const written = (await engine.store.readAll({ after: head, maxCount: 100 })).filter((e) => !isExplainedWithoutWrite(e));
      if (written.length > 0) problems.push(`refused (${answer.status}) yet wrote ${written.map((e) => `${e.type}@${e.streamId}`).join(', ')}`);
    }
    return { answer, problems };
  };

  const fail = (request: HostileRequest, answer: FuzzAnswer, problems: string[]): never => {
    throw new Error(`${problems.join('; ')}\n  request: ${describeRequest(request)}\n  answer: ${answer.status} ${answer.contentType} ${answer.body.slice(0, 400)}`);
  };

  /** Runs `property` on each operation with its own fixed seed; collects every operation's failure (seed and counterexample included). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const onEachOperation = async (select: (op: FuzzOperation) => boolean, runs: number, property: (op: FuzzOperation) => fc.IAsyncPropertyWithHooks<any>) => {
    const failures: string[] = [];
    let walked = 0;
    for (const [index, op] of operations.entries()) {
      if (!select(op)) continue;
      walked += 1;
      const seed = SEED + index;
      const run = await fc.check(property(op), { seed, numRuns: runs });
      if (run.failed) {
        const why = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
        failures.push(`${op.id} (fc seed ${seed}, path "${run.counterexamplePath}", after ${run.numRuns} runs, ${run.numShrinks} shrinks): ${why}`);
      }
    }
    expect(failures).toEqual([]);
    return walked;
  };

  // Found by the properties below; each was Fastify's own JSON (or problem+json on /v2) before the fix.
  describe('regressions', () => {
    const raw = (target: string, auth = true) => fetch(engine.url + target, { headers: auth ? { authorization: `Bearer ${engine.adminKey}` } : {} });

    it('a path that is not valid percent-encoding is 400 problem+json (malformed-url), or OIP on /v2', async () => {
      const res = await raw('/v1/transactions/%/labels');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ type: '/problems/malformed-url', status: 400 });
      const oip = await raw('/v2/models/%zz/ready');
      expect(oip.status).toBe(400);
      expect(await oip.json()).toEqual({ error: expect.any(String) });
    });

    it('a path parameter longer than any id is 414 problem+json, and a 128-character transaction id, percent-encoded, is routed', async () => {
      const res = await raw(`/v1/decisions/${'x'.repeat(400)}`);
      expect(res.status).toBe(414);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ type: '/problems/path-segment-too-long', status: 414 });
      const transactionId = `${'a:'.repeat(63)}zz`;
      expect((await engine.post('/v1/decisions', decisionRequest({ transactionId }))).status).toBe(201);
      const found = await raw(`/v1/transactions/${encodeURIComponent(transactionId)}/decision`);
      expect(found.status).toBe(200);
      expect(JSON.stringify(await found.json())).toContain(`"transactionId":"${transactionId}"`);
    });

    it('a replay position that is not a number is a 400 naming it, not a 500', async () => {
      const head = await engine.store.headPosition();
      const res = await engine.post('/v1/replays', { toPosition: '\u0000' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: '/toPosition' }] });
      expect(await engine.store.headPosition()).toBe(head);
    });

    it('a multipart model upload cut short is a 400 invalid-model-upload, not a 500', async () => {
      const head = await engine.store.headPosition();
      const body = '--b\r\nContent-Disposition: form-data; name="model"; filename="m.onnx"\r\nContent-Type: application/octet-stream\r\n\r\nxyz\r\n';
      const res = await fetch(`${engine.url}/v1/models/fuzz/versions/1`, { method: 'POST', headers: { authorization: `Bearer ${engine.adminKey}`, 'content-type': 'multipart/form-data; boundary=b' }, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: '/problems/invalid-model-upload', status: 400 });
      expect(await engine.store.headPosition()).toBe(head);
    });

    it('/v2 with a query string still answers in the OIP shape', async () => {
      const res = await raw('/v2?%', false);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    });
  });

  it('never answers 5xx, keeps every 4xx in the error contract, and writes nothing when it refuses', async () => {
    const walked = await onEachOperation(
      () => true,
      RUNS_PER_OPERATION,
      (op) =>
        fc.asyncProperty(hostileRequests(op, document, { known }), async (request) => {
          const { answer, problems } = await judge(request, `Bearer ${engine.adminKey}`);
          if (problems.length > 0) fail(request, answer, problems);
        }),
    );
    expect(walked).toBe(operations.length);
    expect(walked).toBeGreaterThan(50);
  }, 300_000);

  it('answers 401 to a missing, malformed, unknown or revoked credential and 403 to a role the route does not admit, writing nothing', async () => {
    const credential = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer vdk_', `Bearer ${engine.adminKey}x`, `Bearer ${engine.adminKey.slice(0, -1)}`, `Bearer ${revokedKey}`, `Token ${engine.adminKey}`),
      fc.stringMatching(/^vdk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/).map((k) => `Bearer ${k}`),
      fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((s) => `Bearer ${s.replace(/[\x00-\x20\x7f]/g, '')}x`),
    );
    const guarded = (op: FuzzOperation) => op.roles !== 'public';
    // Within Node's header limit (16 KiB): a longer request line is a 431 from the HTTP parser, before any credential is read.
    const routed = (op: FuzzOperation) => hostileRequests(op, document, { known, pathsThatRoute: true }).filter((r) => r.target.length < 8_000);
    const expectRefusal = (request: HostileRequest, answer: FuzzAnswer, problems: string[], status: 401 | 403) => {
      if (answer.status !== status) problems.push(`expected ${status}, got ${answer.status}`);
      else if (errorShapeOf(request, status) === 'problem') {
        const type = (JSON.parse(answer.body) as { type?: string }).type;
        if (type !== (status === 401 ? '/problems/unauthenticated' : '/problems/forbidden')) problems.push(`${status} of type ${type}`);
      }
      if (problems.length > 0) fail(request, answer, problems);
    };
    await onEachOperation(guarded, RUNS_PER_OPERATION_UNAUTHORISED, (op) =>
      fc.asyncProperty(routed(op), credential, async (request, auth) => {
        const { answer, problems } = await judge(request, auth);
        expectRefusal(request, answer, problems, 401);
      }),
    );
    await onEachOperation(guarded, RUNS_PER_OPERATION_UNAUTHORISED, (op) => {
      // Every role but admin (which may do anything) and those the route admits.
      const outsiders = ROLES.filter((r) => r !== 'admin' && !(op.roles as readonly string[]).includes(r));
      return fc.asyncProperty(routed(op), fc.constantFrom(...outsiders, null), async (request, role) => {
        if (role === null) return;
        const { answer, problems } = await judge(request, `Bearer ${keys[role]}`);
        expectRefusal(request, answer, problems, 403);
      });
    });
  }, 300_000);
});
