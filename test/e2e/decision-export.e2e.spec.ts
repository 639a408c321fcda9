import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { decisionIdFor, ERASED, TRANSACTION_LABELLED, upcastDecisionMade } from '@verdict/domain';
import { SEAL_INDEX } from '../../apps/engine/src/audit/seal-index.port';
import { MemorySealIndex } from '../../apps/engine/src/audit/testing/memory-seal-index';
import { CSV_COLUMNS } from '../../apps/engine/src/exports/export-rows';
import { runVerdictCli } from '../../tools/cli/verdict';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      (record = []), (field = ''), i++;
    } else field += c;
  }
  expect(field).toBe('');
  return records;
}

const jsonl = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));

function captured(): { io: { stdout: PassThrough; stderr: PassThrough; stderrIsTty: boolean }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr, stderrIsTty: false }, out: () => out, err: () => err };
}

describe.each(e2eTopologies())('decision export over HTTP ($name)', (topology) => {
  let engine: RunningEngine;
  const seals = new MemorySealIndex();
  const tag = randomUUID().slice(0, 8);
  const awkwardCard = `card,"${tag}"`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const decided: any[] = [];

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env(), [{ provide: SEAL_INDEX, useValue: seals }]);
    for (let i = 0; i < 30; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ cardId: i % 3 === 0 ? awkwardCard : `card-${tag}`, amount: 5 + i * 97 }));
      expect(res.status).toBe(201);
      decided.push(await res.json());
      // A label on the same stream is not a decision: never a row.
      if (i === 4) await engine.store.appendToStream(`decision-${decided[i].transactionId}`, [{ id: randomUUID(), type: TRANSACTION_LABELLED, data: { labelId: randomUUID(), label: 'fraud', source: 'chargeback', reportedAt: new Date().toISOString() } }], { expectedRevision: 0n });
      if (i === 9) seals.seal(BigInt(decided[9].position));
    }
    await engine.caughtUp(Number(await engine.store.headPosition()));
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('streams JSONL from the event store in position order: every upcast DecisionMade with its position and seal', async () => {
    const res = await engine.get('/v1/exports/decisions?format=jsonl');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/jsonl');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="verdict-decisions_start_\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.jsonl"$/);
    const rows = jsonl(await res.text());
    const mine = rows.filter((r) => decided.some((d) => d.decisionId === r.decisionId));
    expect(mine.map((r) => r.decisionId)).toEqual(decided.map((d) => d.decisionId));
    const positions = rows.map((r) => BigInt(r.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(Number(res.headers.get('verdict-expected-rows'))).toBe(rows.length);
    const [stored] = await engine.store.readStream(`decision-${decided[0].transactionId}`);
    // The event as stored but for its request, shown in the clear as every read shows it, and its sealed envelope (left out).
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { personal, ...event } = upcastDecisionMade(stored.data);
    const { request } = await (await engine.get(`/v1/decisions/${decided[0].decisionId}`)).json();
    expect(request.cardId).toBe(awkwardCard);
    expect(mine[0]).toEqual({ ...event, request, position: stored.position.toString(), seal: { index: 0, sealHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(mine.slice(0, 10).every((r) => r.seal?.index === 0)).toBe(true);
    expect(mine.slice(10).every((r) => r.seal === null)).toBe(true);
  });

  it('writes CSV with the documented columns, RFC 4180 quoting and the same rows', async () => {
    const res = await engine.get(`/v1/exports/decisions?format=csv&cardId=${encodeURIComponent(awkwardCard)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const [header, ...records] = parseCsv(await res.text());
    expect(header).toEqual(CSV_COLUMNS.map(([h]) => h));
    const expected = decided.filter((_, i) => i % 3 === 0);
    expect(records.map((r) => r[0])).toEqual(expected.map((d) => d.decisionId));
    const col = (name: string) => header.indexOf(name);
    for (const [i, r] of records.entries()) {
      const d = expected[i];
      expect(r[col('cardId')]).toBe(awkwardCard);
      expect(r[col('position')]).toBe(String(d.position));
      expect(Number(r[col('amount')])).toBe(decisionRequest({ amount: 5 + i * 3 * 97 }).amount);
      expect(Number(r[col('score')])).toBe(d.score);
      expect(r[col('outcome')]).toBe(d.outcome);
      expect(r[col('modelSha256')]).toBe(d.model.sha256);
      expect(r[col('topReasonFeature')]).toBe(d.reasons[0]?.feature ?? '');
      expect(r[col('sealIndex')]).toBe(d.position <= decided[9].position ? '0' : '');
    }
  });

  it('writes caller values that a spreadsheet would run as formulas as text in CSV, and exactly in JSONL', async () => {
    const hostile = { cardId: `=HYPERLINK("http://evil","${tag}")`, merchantId: '+cmd|calc!A1', customerId: '@SUM(1+1)' };
    const res = await engine.post('/v1/decisions', decisionRequest(hostile));
    expect(res.status).toBe(201);
    await engine.caughtUp((await res.json()).position);
    const query = `cardId=${encodeURIComponent(hostile.cardId)}`;
    const [header, record] = parseCsv(await (await engine.get(`/v1/exports/decisions?format=csv&${query}`)).text());
    expect(['cardId', 'merchantId', 'customerId'].map((c) => record[header.indexOf(c)])).toEqual([`'${hostile.cardId}`, `'${hostile.merchantId}`, `'${hostile.customerId}`]);
    expect(jsonl(await (await engine.get(`/v1/exports/decisions?${query}`)).text())[0].request).toMatchObject(hostile);
  });

  it('selects by decidedAt (from inclusive, to exclusive) and the list filters', async () => {
    const from = decided[10].decidedAt;
    const to = decided[20].decidedAt;
    const res = await engine.get(`/v1/exports/decisions?from=${from}&to=${to}&cardId=card-${tag}`);
    expect(res.headers.get('content-disposition')).toContain(`verdict-decisions_${from.replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}_`);
    const rows = jsonl(await res.text());
    const expected = decided.filter((d, i) => i >= 10 && i < 20 && i % 3 !== 0 && d.decidedAt >= from && d.decidedAt < to);
    expect(rows.map((r) => r.decisionId)).toEqual(expected.map((d) => d.decisionId));
    const outcome = decided[0].outcome;
    const byOutcome = jsonl(await (await engine.get(`/v1/exports/decisions?outcome=${outcome}&model=${decided[0].model.name}&modelVersion=${decided[0].model.version}&arm=champion`)).text());
    expect(byOutcome.length).toBeGreaterThan(0);
    expect(byOutcome.every((r) => r.outcome === outcome && r.model.name === decided[0].model.name)).toBe(true);
  });

  it('refuses bad parameters with 400 problem+json naming each, and writes nothing but their access records', async () => {
    const head = await engine.store.headPosition();
    const cases: Array<[string, string]> = [
      ['format=xml', '/format'],
      ['from=yesterday', '/from'],
      ['bogus=1', '/bogus'],
      ['modelVersion=1.0.0', '/modelVersion'],
      ['outcome=maybe', '/outcome'],
      [`from=${decided[5].decidedAt}&to=${decided[1].decidedAt}`, '/to'],
    ];
    for (const [query, pointer] of cases) {
      const res = await engine.get(`/v1/exports/decisions?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const p = await res.json();
      expect(p).toMatchObject({ type: '/problems/invalid-query', status: 400 });
      expect(p.errors.map((e: { path: string }) => e.path)).toContain(pointer);
    }
    // Nothing but the access log's record of each refused read (docs/security.md).
    const written = await engine.store.readAll({ after: head });
    expect(written.map((e) => [e.type, (e.data as { status?: unknown }).status])).toEqual(cases.map(() => ['AccessRecorded', 400]));
  });

  it('verdict export writes the same rows to a file through the API, with progress lines off a terminal', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-export-'));
    try {
      const out = path.join(dir, 'decisions.csv');
      const cli = captured();
      const code = await runVerdictCli(['--url', engine.url, '--api-key', engine.adminKey, 'export', '--format', 'csv', '--out', out, '--card-id', awkwardCard], cli.io);
      expect({ code, err: cli.err() }).toEqual({ code: 0, err: '' });
      expect(cli.out()).toBe(`exported 10 decisions to ${out}\n`);
      const api = await (await engine.get(`/v1/exports/decisions?format=csv&cardId=${encodeURIComponent(awkwardCard)}`)).text();
      expect(readFileSync(out, 'utf8')).toBe(api);
      expect(existsSync(`${out}.partial`)).toBe(false);

      const bad = captured();
      expect(await runVerdictCli(['--url', engine.url, '--api-key', engine.adminKey, 'export', '--out', out, '--from', 'soon'], bad.io)).toBe(1);
      expect(bad.err()).toContain('/from');
      expect(await runVerdictCli(['--url', engine.url, '--api-key', engine.adminKey, 'export', '--out', out, '--format', 'xml'], captured().io)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Personal data in exports (docs/security.md, "Erasure"): card and customer ids (and the other personal values) in
 * the clear while the subject's key lives, ERASED once the subject is erased, never a pseudonym or the envelope;
 * filters take clear values.
 */
describe.each(e2eTopologies())('decision export of personal data, before and after an erasure ($name)', (topology) => {
  let engine: RunningEngine;
  const tag = randomUUID().slice(0, 8);
  const ERASED_ONE = { customerId: `cust-gone-${tag}`, cardId: `card-gone-${tag}`, deviceId: `dev-gone-${tag}`, ip: '198.51.100.7' };
  const KEPT_ONE = { customerId: `cust-kept-${tag}`, cardId: `card-kept-${tag}`, deviceId: `dev-kept-${tag}`, ip: '203.0.113.8' };
  const made: { decisionId: string; subject: 'erased' | 'kept' }[] = [];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const mineOf = (rows: any[]) => rows.filter((r) => made.some((m) => m.decisionId === r.decisionId));
  const subjectOf = (decisionId: string) => made.find((m) => m.decisionId === decisionId)!.subject;

  beforeAll(async () => {
    await topology.setUp?.();
    engine = await startEngine(topology.env());
    for (let i = 0; i < 6; i++) {
      const subject = i % 2 === 0 ? 'erased' : 'kept';
      const res = await engine.post('/v1/decisions', decisionRequest({ ...(subject === 'erased' ? ERASED_ONE : KEPT_ONE), amount: 20 + i }));
      expect(res.status).toBe(201);
      const body = await res.json();
      made.push({ decisionId: body.decisionId, subject });
    }
    await engine.caughtUp(Number(await engine.store.headPosition()));
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    await topology.tearDown?.();
  });

  it('shows every personal value in the clear while the subject lives, in JSONL and CSV, and filters on clear ids', async () => {
    const text = await (await engine.get('/v1/exports/decisions')).text();
    expect(text).not.toContain('ps_');
    expect(text).not.toContain('"personal"');
    const rows = mineOf(jsonl(text));
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.request).toMatchObject(subjectOf(r.decisionId) === 'erased' ? ERASED_ONE : KEPT_ONE);

    const [header, ...records] = parseCsv(await (await engine.get(`/v1/exports/decisions?format=csv&cardId=${ERASED_ONE.cardId}`)).text());
    expect(records.map((r) => [r[header.indexOf('cardId')], r[header.indexOf('customerId')]])).toEqual(Array(3).fill([ERASED_ONE.cardId, ERASED_ONE.customerId]));
    const byCustomer = jsonl(await (await engine.get(`/v1/exports/decisions?customerId=${KEPT_ONE.customerId}`)).text());
    expect(byCustomer.map((r) => r.decisionId)).toEqual(made.filter((m) => m.subject === 'kept').map((m) => m.decisionId));
  });

  it('shows ERASED for the erased subject\'s rows only once it is erased, and its clear ids find nothing', async () => {
    const res = await engine.post(`/v1/subjects/${ERASED_ONE.customerId}/erasure`, {});
    expect(res.status).toBe(200);
    await engine.caughtUp(Number((await res.json()).position));

    const text = await (await engine.get('/v1/exports/decisions')).text();
    expect(text).not.toContain('ps_');
    for (const value of Object.values(ERASED_ONE)) expect(text).not.toContain(value);
    const rows = mineOf(jsonl(text));
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      if (subjectOf(r.decisionId) === 'erased') expect(r.request).toMatchObject({ cardId: ERASED, customerId: ERASED, deviceId: ERASED, ip: ERASED });
      else expect(r.request).toMatchObject(KEPT_ONE);
    }

    const [header, ...records] = parseCsv(await (await engine.get('/v1/exports/decisions?format=csv')).text());
    const cells = records.filter((r) => made.some((m) => m.decisionId === r[0])).map((r) => [subjectOf(r[0]), r[header.indexOf('cardId')], r[header.indexOf('customerId')]]);
    expect(cells).toEqual(made.map((m) => (m.subject === 'erased' ? ['erased', ERASED, ERASED] : ['kept', KEPT_ONE.cardId, KEPT_ONE.customerId])));

    expect(jsonl(await (await engine.get(`/v1/exports/decisions?cardId=${ERASED_ONE.cardId}`)).text())).toEqual([]);
    expect(jsonl(await (await engine.get(`/v1/exports/decisions?customerId=${ERASED_ONE.customerId}`)).text())).toEqual([]);
    expect(jsonl(await (await engine.get(`/v1/exports/decisions?cardId=${KEPT_ONE.cardId}`)).text())).toHaveLength(3);
  });
});

describe('decision export while the read model lags or the log cannot be read (SQLite, VERDICT_PROJECTIONS=off)', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine({ VERDICT_PROJECTIONS: 'off' });
  }, 60_000);
  afterAll(async () => engine?.stop());

  it('exports decisions the read model has not applied (the unprojected tail is read whole)', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await (await engine.post('/v1/decisions', decisionRequest())).json());
    const res = await engine.get(`/v1/exports/decisions?from=${made[1].decidedAt}`);
    expect(res.headers.get('verdict-expected-rows')).toBe('0');
    expect(jsonl(await res.text()).map((r) => r.decisionId)).toEqual(made.slice(1).map((d) => d.decisionId));
  });

  it('cuts the response off (no clean end) when an event cannot be read mid-export, and the CLI says so', async () => {
    const [event] = await engine.store.readStream(`decision-${(await (await engine.post('/v1/decisions', decisionRequest())).json()).transactionId}`);
    // Enough good rows first that the response is well under way when the bad event is reached.
    for (let i = 0; i < 600; i++) {
      const transactionId = `bulk-${randomUUID()}`;
      const data = { ...event.data, transactionId, decisionId: decisionIdFor(transactionId) };
      await engine.store.appendToStream(`decision-${transactionId}`, [{ id: decisionIdFor(transactionId), type: event.type, data, metadata: event.metadata }], { expectedRevision: 'no_stream' });
    }
    const transactionId = `future-${randomUUID()}`;
    const future = { ...event.data, schemaVersion: 99, transactionId, decisionId: decisionIdFor(transactionId) };
    await engine.store.appendToStream(`decision-${transactionId}`, [{ id: decisionIdFor(transactionId), type: event.type, data: future }], { expectedRevision: 'no_stream' });

    const res = await engine.get('/v1/exports/decisions');
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();

    const dir = mkdtempSync(path.join(tmpdir(), 'verdict-export-'));
    try {
      const out = path.join(dir, 'cut.jsonl');
      const cli = captured();
      expect(await runVerdictCli(['--url', engine.url, '--api-key', engine.adminKey, 'export', '--out', out], cli.io)).toBe(1);
      expect(cli.err()).toMatch(/the export was cut off after \d+ decisions/);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
