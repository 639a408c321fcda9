import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';

/** What HTTP itself can get wrong keeps the problem+json contract, and writes nothing. */
describe('protocol hygiene over real HTTP', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
  });
  afterAll(() => engine?.stop());

  const post = (body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(`${engine.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.adminKey}`, ...headers }, body });

  /** Sends raw bytes and reads the whole answer until the server closes. */
  const raw = (bytes: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(engine.url);
      const socket = connect(Number(port), hostname, () => socket.write(bytes));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });

  it('refuses a body with a Content-Encoding other than identity (415), without deciding on it', async () => {
    const head = await engine.store.headPosition();
    for (const encoding of ['gzip', 'br', 'deflate, identity']) {
      const res = await post(JSON.stringify(decisionRequest()), { 'content-encoding': encoding });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ type: '/problems/unsupported-content-encoding', status: 415, detail: expect.stringContaining(encoding.split(',')[0] as string) });
    }
    expect(await engine.store.headPosition()).toBe(head);
    expect((await post(JSON.stringify(decisionRequest()), { 'content-encoding': 'identity' })).status).toBe(201);
  });

  it('refuses multipart/form-data (415) on every route but the model upload, and records nothing', async () => {
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: 'all-review-multipart', reviewThreshold: 0, declineThreshold: 1, reason: 'a decision to claim' });
    expect(policy.status).toBe(200);
    const made = await engine.post('/v1/decisions', decisionRequest());
    const { decisionId, transactionId } = await made.json();
    const head = await engine.store.headPosition();
    const form = (fields: Record<string, string>) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(fields)) data.append(name, value);
      return data;
    };
    const routes: [string, Record<string, string>][] = [
      ['/v1/decisions', { transactionId: 'tx-multipart' }],
      ['/v1/decisions/batch', { a: 'b' }],
      ['/v1/labels/batch', { a: 'b' }],
      [`/v1/transactions/${transactionId}/labels`, { labelId: 'cb-1', label: 'fraud' }],
      // A claim takes an empty body: its ttlSeconds was dropped and the default held.
      [`/v1/reviews/${decisionId}/claim`, { ttlSeconds: '30' }],
      ['/graphql', { query: '{ __typename }' }],
    ];
    for (const [path, fields] of routes) {
      const res = await engine.upload(path, form(fields));
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 415, expect.stringMatching(/^application\/problem\+json/)]);
      expect(await res.json()).toMatchObject({ type: '/problems/unsupported-media-type', status: 415 });
    }
    expect(await engine.store.headPosition()).toBe(head);
    // The same claim as JSON is taken, with the TTL asked for.
    const claim = await engine.post(`/v1/reviews/${decisionId}/claim`, { ttlSeconds: 30 });
    expect(claim.status).toBe(200);
    const { claimedAt, expiresAt } = await claim.json();
    expect(Date.parse(expiresAt) - Date.parse(claimedAt)).toBe(30_000);
  });

  it('refuses an empty body and prototype poisoning as malformed JSON, and takes a charset parameter', async () => {
    const head = await engine.store.headPosition();
    for (const body of ['', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '{"transactionId": "t-1",']) {
      const res = await post(body, {});
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: '/problems/malformed-json', status: 400 });
    }
    expect(await engine.store.headPosition()).toBe(head);
    expect((await post(JSON.stringify(decisionRequest()), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('says a compressed or non-UTF-8 body is not UTF-8, not that its length is wrong', async () => {
    const head = await engine.store.headPosition();
    const bodies = [gzipSync(JSON.stringify(decisionRequest())), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])];
    for (const body of bodies) {
      const res = await post(body, {});
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { detail: string };
      expect(problem).toMatchObject({ type: '/problems/malformed-json', detail: expect.stringMatching(/UTF-8/) });
      expect(problem.detail).not.toMatch(/Content-Length/i);
    }
    expect(await engine.store.headPosition()).toBe(head);
  });

  it('answers oversized headers with 431 problem+json, and a broken request line with 400 problem+json', async () => {
    const big = await raw(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(big).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: '/problems/headers-too-large', status: 431 });

    const broken = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(broken.slice(broken.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: '/problems/malformed-request', status: 400 });
  });

  it('lets a client that uploads far over the limit read the 413 (the body is read away, not reset under it)', async () => {
    const head = await engine.store.headPosition();
    const { hostname, port } = new URL(engine.url);
    const body = JSON.stringify({ ...decisionRequest(), pad: 'x'.repeat(8 * 1024 * 1024) });
    const answer = await new Promise<{ status?: number; type?: string; error?: string }>((resolve) => {
      const req = httpRequest({ host: hostname, port: Number(port), path: '/v1/decisions', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${engine.adminKey}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, type: (JSON.parse(text) as { type: string }).type }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code }));
      req.end(body);
    });
    expect(answer).toEqual({ status: 413, type: '/problems/payload-too-large' });
    expect(await engine.store.headPosition()).toBe(head);
  });
});
