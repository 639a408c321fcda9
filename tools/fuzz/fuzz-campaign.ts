import Database from 'better-sqlite3';
import fc from 'fast-check';
import { contractViolations, isExplainedWithoutWrite, sendHostile, type FuzzAnswer } from './answer-contract';
import { anyHostileRequest, describeRequest, operationsOf, type HostileRequest, type KnownValues, type OpenApiDocument } from './hostile-requests';

export interface CampaignOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly requests: number;
  readonly seed: number;
  readonly concurrency: number;
  /** The engine's SQLite event store file: every event appended during the run is read and attributed. */
  readonly eventStore?: string;
  /** Share of requests sent without a credential (each must be a 401 on a guarded route). */
  readonly anonymousShare: number;
  readonly onProgress?: (done: number) => void;
}

export interface Violation {
  readonly request: string;
  readonly status: number;
  readonly answer: string;
  readonly problems: readonly string[];
}

export interface CampaignReport {
  readonly url: string;
  readonly seed: number;
  readonly requests: number;
  readonly concurrency: number;
  readonly startedAt: string;
  readonly seconds: number;
  readonly operations: number;
  readonly statuses: Record<string, number>;
  readonly byRoute: Record<string, Record<string, number>>;
  readonly byKind: Record<string, Record<string, number>>;
  readonly violations: readonly Violation[];
  readonly violationCount: number;
  readonly writes: WriteReport | { readonly checked: false; readonly why: string };
}

export interface WriteReport {
  readonly checked: true;
  readonly headBefore: number;
  readonly headAfter: number;
  /** Every event appended during the run by type, AccessRecorded included (it is left out of every check). */
  readonly appendedByType: Record<string, number>;
  /** Appended on behalf of a fuzz request that was answered 2xx: what the valid requests made. */
  readonly byAcceptedRequests: Record<string, number>;
  /** Appended by a refused (non-2xx) request: each one is also a violation. */
  readonly byRefusedRequests: Record<string, number>;
  /** Appended with no caller (the audit sealer and other background work), by type. */
  readonly background: Record<string, number>;
}

interface InFlight {
  readonly request: HostileRequest;
  answer?: FuzzAnswer;
  readonly events: string[];
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
const bumpIn = (table: Record<string, Record<string, number>>, row: string, key: string) => bump((table[row] ??= {}), key);

/** Calls the API as admin during setup. */
async function api(url: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/**
 * Values that exist on the engine, so that generated paths reach past the 404s: its models and versions, a decision
 * made for the campaign, a replay, and a key made to be revoked (never one the campaign uses).
 */
async function discover(url: string, key: string, seed: number): Promise<KnownValues> {
  const models = (await api(url, key, 'GET', '/v1/models')).json as { items?: { name: string; versions: { version: string }[] }[] };
  const names = (models.items ?? []).map((m) => m.name);
  const versions = [...new Set((models.items ?? []).flatMap((m) => m.versions.map((v) => v.version)))];
  const decision = (
    await api(url, key, 'POST', '/v1/decisions', {
      transactionId: `fuzz-${seed}-${Date.now().toString(36)}`,
      occurredAt: new Date().toISOString(),
      amount: 42.5,
      currency: 'EUR',
      cardId: 'card-fuzz-1',
      merchantId: 'merchant-fuzz',
      customerId: 'cust-fuzz',
      channel: 'pos',
      country: 'FR',
    })
  ).json as { decisionId?: string; transactionId?: string };
  const replay = (await api(url, key, 'POST', '/v1/replays', { toPosition: 1 })).json as { replayId?: string };
  const victim = (await api(url, key, 'POST', '/v1/keys', { client: 'fuzz-victim', roles: ['decide'] })).json as { key?: { keyId: string } };
  const only = (v: string | undefined) => (v ? [v] : []);
  return {
    name: names,
    version: versions,
    decisionId: only(decision.decisionId),
    transactionId: only(decision.transactionId),
    replayId: only(replay.replayId),
    keyId: only(victim.key?.keyId),
    code: ['validation-failed', 'not-found', 'internal-error'],
  };
}

/** Reads events appended after a position, straight from the SQLite file (read-only; the engine keeps writing). */
class EventTail {
  private readonly db: Database.Database;
  private readonly next: Database.Statement<[number], { position: number; type: string; stream_id: string; revision: number; metadata: string }>;
  position: number;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.next = this.db.prepare('SELECT position, type, stream_id, revision, metadata FROM events WHERE position > ? ORDER BY position LIMIT 10000');
    this.position = this.head();
  }

  head(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number }).head;
  }

  /** Synchronous on purpose: called as each answer arrives, before its client sends another request. */
  drain(): { type: string; streamId: string; revision: number; keyId?: string }[] {
    const rows = this.next.all(this.position);
    if (rows.length > 0) this.position = (rows[rows.length - 1] as { position: number }).position;
    return rows.map((r) => ({ type: r.type, streamId: r.stream_id, revision: r.revision, keyId: (JSON.parse(r.metadata) as { caller?: { keyId?: string } }).caller?.keyId }));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * A fuzz campaign against a running engine: `requests` hostile requests over every operation of its OpenAPI
 * document, from `concurrency` clients. Each client has its own API key and sends one request at a time, so every
 * event appended on a client's behalf (its key is in the event's metadata) belongs to that client's current request:
 * with `eventStore`, an event written for a refused request is caught and named.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const { url, apiKey, seed, concurrency } = options;
  const document = (await (await fetch(`${url}/openapi.json`)).json()) as OpenApiDocument;
  const operations = operationsOf(document);
  const known = await discover(url, apiKey, seed);
  const clients: { key: string; keyId: string; current?: InFlight }[] = [];
  for (let i = 0; i < concurrency; i += 1) {
    const created = (await api(url, apiKey, 'POST', '/v1/keys', { client: `fuzz-client-${i}`, roles: ['admin'] })).json as { apiKey?: string; key?: { keyId: string } };
    if (!created.apiKey || !created.key) throw new Error(`could not create the fuzz client key: ${JSON.stringify(created)}`);
    clients.push({ key: created.apiKey, keyId: created.key.keyId });
  }
  const tail = options.eventStore ? new EventTail(options.eventStore) : undefined;
  const headBefore = tail?.position ?? 0;
  const arbitrary = anyHostileRequest(operations, document, { known });
  // Without a credential: paths that route and a request line within Node's header limit, so the answer is the 401
  // (a malformed path or an oversized request line is refused before any credential is read, as it should be).
  const anonymousArbitrary = anyHostileRequest(operations, document, { known, pathsThatRoute: true }).filter((r) => r.target.length < 8_000);
  const anonymous = fc.noBias(fc.integer({ min: 0, max: 999_999 }));

  const statuses: Record<string, number> = {};
  const byRoute: Record<string, Record<string, number>> = {};
  const byKind: Record<string, Record<string, number>> = {};
  const violations: Violation[] = [];
  let violationCount = 0;
  const appendedByType: Record<string, number> = {};
  const byAcceptedRequests: Record<string, number> = {};
  const byRefusedRequests: Record<string, number> = {};
  const background: Record<string, number> = {};
  const record = (request: HostileRequest, answer: FuzzAnswer, problems: string[]) => {
    violationCount += 1;
    if (violations.length < 200) violations.push({ request: describeRequest(request), status: answer.status, answer: `${answer.contentType} ${answer.body.slice(0, 500)}`, problems });
  };

  /** Attributes what was appended since the last look to each client's current request. */
  const attribute = () => {
    if (!tail) return;
    for (const e of tail.drain()) {
      bump(appendedByType, e.type);
      if (isExplainedWithoutWrite(e)) continue;
      const owner = clients.find((c) => c.keyId === e.keyId);
      if (!owner?.current) bump(background, e.type);
      else owner.current.events.push(`${e.type}@${e.streamId}`);
    }
  };
  const judgeWrites = (flight: InFlight) => {
    const ok = flight.answer !== undefined && flight.answer.status >= 200 && flight.answer.status < 300;
    for (const event of flight.events) bump(ok ? byAcceptedRequests : byRefusedRequests, event.split('@')[0] as string);
    return ok || flight.events.length === 0 ? [] : [`refused (${flight.answer?.status}) yet wrote ${flight.events.join(', ')}`];
  };

  const started = Date.now();
  let issued = 0;
  let done = 0;
  const CHUNK = 250;
  let batch: { request: HostileRequest; anonymous: boolean }[] = [];
  let chunk = 0;
  const nextRequest = (): { request: HostileRequest; anonymous: boolean } | undefined => {
    if (issued >= options.requests) return undefined;
    if (batch.length === 0) {
      const n = Math.min(CHUNK, options.requests - issued);
      const requests = fc.sample(arbitrary, { seed: seed + chunk, numRuns: n });
      const strangers = fc.sample(anonymousArbitrary, { seed: seed + chunk, numRuns: n });
      const draws = fc.sample(anonymous, { seed: seed + chunk, numRuns: n });
      batch = requests
        .map((request, i) => ((draws[i] as number) < options.anonymousShare * 1_000_000 ? { request: strangers[i] as HostileRequest, anonymous: true } : { request, anonymous: false }))
        .reverse();
      chunk += 1;
    }
    issued += 1;
    return batch.pop();
  };

  const client = async (c: (typeof clients)[number]) => {
    for (let next = nextRequest(); next; next = nextRequest()) {
      const { request } = next;
      const flight: InFlight = { request, events: [] };
      c.current = flight;
      const answer = await sendHostile(url, request, next.anonymous ? undefined : `Bearer ${c.key}`);
      flight.answer = answer;
      attribute();
      const problems = contractViolations(request, answer);
      const op = operations.find((o) => o.id === request.operation);
      if (next.anonymous && op && op.roles !== 'public' && answer.status !== 401 && answer.status !== 431) problems.push(`no credential, yet ${answer.status}`);
      problems.push(...judgeWrites(flight));
      const label = answer.transportError ? 'no-answer' : String(answer.status);
      bump(statuses, label);
      bumpIn(byRoute, request.operation, label);
      bumpIn(byKind, next.anonymous ? 'anonymous' : request.kind, label);
      if (problems.length > 0) record(request, answer, problems);
      done += 1;
      options.onProgress?.(done);
    }
  };
  await Promise.all(clients.map((c) => client(c)));
  // Late events (a replay finishing) and the headcount after the run.
  await new Promise((r) => setTimeout(r, 500));
  attribute();
  const headAfter = tail?.head() ?? 0;
  tail?.close();
  for (const c of clients) await api(url, apiKey, 'POST', `/v1/keys/${c.keyId}/revoke`, { reason: 'fuzz campaign over' });

  return {
    url,
    seed,
    requests: options.requests,
    concurrency,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    operations: operations.length,
    statuses,
    byRoute,
    byKind,
    violations,
    violationCount,
    writes: tail
      ? { checked: true, headBefore, headAfter, appendedByType, byAcceptedRequests, byRefusedRequests, background }
      : { checked: false, why: 'no --event-store given: pass the engine\'s SQLite event store file to check what was written' },
  };
}
