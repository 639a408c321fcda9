import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decisionBody, DecisionLoad, type LoadOutcome } from '../../tools/crash-test/decision-load';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';

/**
 * SIGTERM under load (docs/operations.md, "Stopping"). A request has *started* once the engine ran its first hook on it
 * (its headers were read before the drain began). Every started request gets its normal answer; one that had not
 * started is refused (a refused connection, a closed idle keep-alive connection, or 503 not-ready) and nothing of it
 * is recorded. The process exits 0, which includes: within its bound (past it, it exits 1).
 */
/** A raw connection, to send a request in pieces; `answer` resolves with everything read when the server closes it. */
function rawConnection(url: string): Promise<{ socket: Socket; answer: Promise<string> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve({ socket, answer }));
    let text = '';
    const answer = new Promise<string>((done) => socket.on('close', () => done(text)));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('error', reject);
  });
}

const refused = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describe('graceful drain: SIGTERM with many clients posting decisions', () => {
  let dataDir: string;
  let engine: EngineProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-drain-'));
  });
  // Each test ends with an engine running on the shared data dir: stop it before the next one starts its own.
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers every started request, records nothing it refused, and exits 0', async () => {
    const env = { VERDICT_DATA_DIR: dataDir, VERDICT_WARMUP_DECISIONS: '0' };
    engine = await startEngineProcess(env);
    const running = engine;
    const load = new DecisionLoad({ url: running.url, headers: () => running.authHeaders(), prefix: 'drain-', concurrency: 48 }).start();
    while (load.acknowledged < 300 && load.clientsLeft > 0) await new Promise((r) => setTimeout(r, 10));
    // A client stops at its first answer other than 201: none may have before the stop.
    expect(load.outcomes.filter((o) => o.status !== 201)).toEqual([]);
    load.markStop();
    const exit = await running.stop();
    const outcomes = await load.finished();
    engine = undefined;

    expect(exit).toEqual({ code: 0, signal: null });
    // Its last log line says how the stop ended.
    const logged = running.output().flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // not a log line (stderr)
      }
    });
    expect(logged.at(-1)).toMatchObject({ msg: 'stopped', signal: 'SIGTERM', code: 0, ms: expect.any(Number) });
    const answered = outcomes.filter((o) => o.status === 201);
    const refused = outcomes.filter((o) => o.status !== 201);
    // Requests were in flight when the signal came, and they were answered: the drain had work to do.
    expect(answered.filter((o) => o.afterStop).length).toBeGreaterThan(0);
    // Each client ends on a refusal that starts nothing: a 503 not-ready or a connection that carried no answer.
    const notStarted = (o: LoadOutcome) => (o.status === 503 && o.answer?.type === '/problems/not-ready') || (o.status === undefined && o.error !== undefined);
    expect(refused.filter((o) => !notStarted(o))).toEqual([]);

    engine = await startEngineProcess(env);
    const headers = engine.authHeaders();
    for (const o of answered) {
      const res = await fetch(`${engine.url}/v1/transactions/${o.transactionId}/decision`, { headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ decisionId: o.answer?.decisionId, position: o.answer?.position });
    }
    for (const o of refused) {
      const res = await fetch(`${engine.url}/v1/transactions/${o.transactionId}/decision`, { headers });
      expect({ transactionId: o.transactionId, status: res.status }).toEqual({ transactionId: o.transactionId, status: 404 });
    }
  });

  it('draws the line at the headers: a request whose headers were read finishes, one whose headers come later is refused', async () => {
    const env = { VERDICT_DATA_DIR: dataDir, VERDICT_WARMUP_DECISIONS: '0' };
    engine = await startEngineProcess(env);
    const running = engine;
    const auth = Object.entries(running.authHeaders()).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const request = (transactionId: string) => {
      const body = JSON.stringify(decisionBody(transactionId, 1));
      return { head: `POST /v1/decisions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${auth}content-length: ${Buffer.byteLength(body)}\r\n\r\n`, body };
    };
    // Started: headers and half the body before the signal. Not started: half the headers.
    const started = request('drain-started');
    const late = request('drain-late');
    const a = await rawConnection(running.url);
    a.socket.write(started.head + started.body.slice(0, 10));
    const b = await rawConnection(running.url);
    b.socket.write(late.head.slice(0, 20));
    // Fastify has run its hooks on the started one once a later request on another connection is answered.
    expect((await fetch(`${running.url}/health/live`)).status).toBe(200);

    const exit = running.stop();
    while (!(await refused(running.url))) await new Promise((r) => setTimeout(r, 10));
    b.socket.write(late.head.slice(20) + late.body);
    a.socket.write(started.body.slice(10));
    const [answerA, answerB] = await Promise.all([a.answer, b.answer]);
    expect(await exit).toEqual({ code: 0, signal: null });
    engine = undefined;

    expect(answerA).toMatch(/^HTTP\/1\.1 201 [^]*\r\nconnection: close\r\n/i);
    expect(answerB).toMatch(/^HTTP\/1\.1 503 [^]*\r\nconnection: close\r\n/i);
    expect(JSON.parse(answerB.slice(answerB.indexOf('\r\n\r\n') + 4))).toMatchObject({ type: '/problems/not-ready', status: 503 });
    const decided = JSON.parse(answerA.slice(answerA.indexOf('\r\n\r\n') + 4)) as { decisionId: string };

    engine = await startEngineProcess(env);
    const headers = engine.authHeaders();
    expect(await (await fetch(`${engine.url}/v1/transactions/drain-started/decision`, { headers })).json()).toMatchObject({ decisionId: decided.decisionId });
    expect((await fetch(`${engine.url}/v1/transactions/drain-late/decision`, { headers })).status).toBe(404);
  });
});
