import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createLogger, loadConfig } from '@verdict/config';
import { canonicalJson, decisionIdFor, decisionStreamId, applyPolicy, deriveKeys, sha256Hex, withSortedKeys, type DecisionMade, type DecisionRequest } from '@verdict/domain';
import { createSubjectKeyStore, SubjectVault } from '@verdict/subject-keys';
import { loadMasterKey } from '../../../apps/engine/src/privacy/master-key-file';
import { createEventStore, type EventData } from '@verdict/event-store';
import { createEngineApp } from '../../../apps/engine/src/engine-app';
import { EVENT_STORE } from '../../../apps/engine/src/infrastructure/tokens';
import type { EventStore } from '@verdict/event-store';
import { prng } from '../prng';
import { adminAuthHeaders } from '../../ops/admin-key';

/** Appends in flight while seeding: enough for the group commit to fill its transactions. */
const SEED_CONCURRENCY = 1_000;
/** Time between two seeded decisions (decidedAt). */
const SEED_SPACING_MS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a seeding left in a data directory (`seed.json`), so a later run can reuse it. */
export interface SeededLog {
  /** Decisions in the log: the seeded ones and the one real decision they were made from. */
  readonly decisions: number;
  readonly first: string;
  readonly last: string;
  readonly lastPosition: string;
  /** The last seeded decision's id. */
  readonly lastDecisionId: string;
}

/**
 * Seeds `count` DecisionMade events into the SQLite store of `dataDir`, fast: one real decision is made through a
 * real engine (so the deployment, the registry and a genuine ~2 KB event exist), then `count` variations of it
 * (their own transaction, card, merchant, amount, score, outcome and decidedAt, 5 ms apart) are appended straight to
 * the store, each on its own `decision-<transactionId>` stream, as the engine would. With `personal` (the default)
 * their personal values are pseudonymised and sealed under real subject keys in the engine's key store (DecisionMade
 * v4, 4,000 customers); without, each copy carries the template's envelope and clear values, which is faster to seed
 * but opens no real subject key on export. Writes and returns a SeededLog.
 */
export async function seedDecisionLog(
  dataDir: string,
  count: number,
  say: (line: string) => void = () => undefined,
  { personal = true }: { personal?: boolean } = {},
): Promise<SeededLog> {
  const config = loadConfig({ VERDICT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', VERDICT_PROJECTIONS: 'off' });
  const { app } = await createEngineApp(config, createLogger('silent', 'verdict-seed'));
  let template: DecisionMade;
  let metadata: Record<string, unknown>;
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const request = {
      transactionId: 'seed-template', occurredAt: '2026-11-20T14:03:11Z', amount: 42.5, currency: 'EUR', cardId: 'card-0',
      merchantId: 'merchant-0', customerId: 'cust-0', channel: 'ecom', country: 'FR', merchantCategory: '5411', attributes: { cardCountry: 'DE' },
    };
    const res = await fetch(`${url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...adminAuthHeaders(dataDir) }, body: JSON.stringify(request) });
    if (res.status !== 201) throw new Error(`template decision → ${res.status}: ${await res.text()}`);
    const [event] = await app.get<EventStore>(EVENT_STORE).readStream(decisionStreamId(request.transactionId));
    template = event.data as unknown as DecisionMade;
    metadata = event.metadata;
  } finally {
    await app.close();
  }

  const store = await createEventStore(config.eventStore);
  const random = prng(count);
  const start = Date.now() - (count + 10) * SEED_SPACING_MS;
  const at = (i: number) => new Date(start + i * SEED_SPACING_MS).toISOString();
  const keyStore = personal ? await createSubjectKeyStore(config.privacy.keyStore) : undefined;
  const vault = keyStore && new SubjectVault(keyStore, deriveKeys(loadMasterKey(config.privacy.masterKeyPath, false).key), config.privacy, { cacheSize: 20_000 });
  const clearRequest = (i: number, transactionId: string, amount: number): DecisionRequest =>
    withSortedKeys({ ...template.request, transactionId, cardId: `card-${i % 5_000}`, merchantId: `merchant-${i % 700}`, customerId: `cust-${i % 4_000}`, amount, occurredAt: at(i) });
  if (vault) {
    // Every subject's key and identities first, in batches, as the engine commits them before a decision needs them.
    for (let i = 0; i < Math.min(count, 5_000); i += 1_000) {
      await vault.prepare(Array.from({ length: Math.min(1_000, count - i) }, (_, k) => vault.protect(clearRequest(i + k, `seed-${i + k}`, 1))));
    }
  }
  const sealedRequest = (i: number, transactionId: string, decisionId: string, amount: number): Pick<DecisionMade, 'request' | 'requestHash' | 'personal'> => {
    if (!vault) {
      const request = { ...template.request, transactionId, cardId: `card-${i % 5_000}`, merchantId: `merchant-${i % 700}`, customerId: `cust-${i % 4_000}`, amount, occurredAt: at(i) };
      return { request, requestHash: template.requestHash.slice(0, 56) + i.toString(16).padStart(8, '0').slice(-8), personal: template.personal };
    }
    const safe = vault.protect(clearRequest(i, transactionId, amount));
    return { request: safe.stored, requestHash: sha256Hex(canonicalJson(safe.stored)), personal: vault.envelope(safe, decisionId) };
  };
  const eventFor = (i: number): { streamId: string; event: EventData } => {
    const transactionId = `seed-${i}`;
    const decisionId = decisionIdFor(transactionId);
    const score = random() ** 3;
    const amount = Math.round(random() * 200_000) / 100;
    const data: DecisionMade = {
      ...template,
      decisionId,
      transactionId,
      ...sealedRequest(i, transactionId, decisionId, amount),
      score,
      outcome: applyPolicy(score, template.policy),
      reasons: template.reasons.map((r, k) => (k === 0 ? { ...r, value: amount, contribution: score / 2 } : r)),
      decidedAt: at(i),
    };
    return { streamId: decisionStreamId(transactionId), event: { id: decisionId, type: 'DecisionMade', data: data as unknown as Record<string, unknown>, metadata } };
  };
  let lastPosition = 0n;
  try {
    let next = 0;
    let lastSaid = Date.now();
    const worker = async (): Promise<void> => {
      while (next < count) {
        const { streamId, event } = eventFor(next++);
        const { position } = await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
        if (position > lastPosition) lastPosition = position;
        if (Date.now() - lastSaid > 5_000) {
          lastSaid = Date.now();
          say(`seeded ${next} of ${count} decisions`);
        }
      }
    };
    await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  } finally {
    await store.close();
    await keyStore?.close();
  }
  const seeded: SeededLog = { decisions: count + 1, first: at(0), last: at(count - 1), lastPosition: lastPosition.toString(), lastDecisionId: decisionIdFor(`seed-${count - 1}`) };
  writeFileSync(path.join(dataDir, 'seed.json'), `${JSON.stringify(seeded, null, 2)}\n`);
  return seeded;
}

/** Resident set size of a process (Linux: VmRSS in /proc/<pid>/status), in bytes. */
export function vmRssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

/** Waits until the engine's read model holds the decision at `position` (its newest decision has reached it). */
export async function waitForReadModel(url: string, position: bigint, timeoutMs: number, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = (await (await fetch(`${url}/v1/decisions?limit=1`, { headers })).json()) as { items?: Array<{ position: string }> };
    const newest = page.items?.[0]?.position;
    if (newest !== undefined && BigInt(newest) >= position) return;
    if (Date.now() > deadline) throw new Error(`the read model did not reach position ${position} within ${timeoutMs} ms (newest: ${newest ?? 'none'})`);
    await sleep(200);
  }
}

/**
 * Waits until the engine's sealer has sealed the log up to `decisionId` (its context names a seal): sealing a fresh
 * 200,000-event backlog takes the engine a while, and measuring an export meanwhile would measure the sealer too.
 */
export async function waitForSeal(url: string, decisionId: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/v1/decisions/${decisionId}/context`, { headers });
    const context = (await res.json()) as { seal?: unknown; sealing?: unknown };
    if (res.status === 200 && context.seal) return;
    if (Date.now() > deadline) throw new Error(`${decisionId} was not sealed within ${timeoutMs} ms: ${res.status} ${JSON.stringify(context.sealing ?? context)}`);
    await sleep(500);
  }
}

export interface ExportMeasurement {
  readonly rows: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly rowsPerSecond: number;
  /** The server's RSS just before the request, and the highest sampled while it ran. */
  readonly rssBeforeBytes: number;
  readonly rssPeakBytes: number;
}

/**
 * Runs one export and reads it to the end, sampling the server's RSS every 20 ms. `pauseMs` stops reading for that
 * long once a tenth of `expectedRows` has arrived: a server without backpressure would buffer the rest meanwhile.
 */
export async function measureExport(url: string, query: string, serverPid: number, opts: { pauseMs?: number; expectedRows?: number; headers?: Record<string, string> } = {}): Promise<ExportMeasurement> {
  const rssBeforeBytes = vmRssBytes(serverPid);
  let rssPeakBytes = rssBeforeBytes;
  const sampler = setInterval(() => (rssPeakBytes = Math.max(rssPeakBytes, vmRssBytes(serverPid))), 20);
  const started = performance.now();
  try {
    // node:http rather than fetch: the client shares the machine, and WHATWG streams would cost it (and the server) CPU.
    const { rows, bytes } = await new Promise<{ rows: number; bytes: number }>((resolve, reject) => {
      const req = http.get(`${url}/v1/exports/decisions?${query}`, { agent: false, headers: opts.headers }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`export → ${res.statusCode}`));
          return;
        }
        let lines = 0;
        let total = 0;
        let paused = opts.pauseMs === undefined;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          if (!paused && lines >= (opts.expectedRows ?? 0) / 10) {
            paused = true;
            res.pause();
            setTimeout(() => res.resume(), opts.pauseMs);
          }
        });
        res.on('end', () => (res.complete ? resolve({ rows: lines, bytes: total }) : reject(new Error('the export was cut off'))));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    const durationMs = performance.now() - started;
    const csvHeader = query.includes('format=csv') ? 1 : 0;
    return { rows: rows - csvHeader, bytes, durationMs, rowsPerSecond: Math.round(((rows - csvHeader) / durationMs) * 1000), rssBeforeBytes, rssPeakBytes: Math.max(rssPeakBytes, vmRssBytes(serverPid)) };
  } finally {
    clearInterval(sampler);
  }
}
