import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runVerdictCli } from '../../tools/cli/verdict';
import { CapturedIo } from '../../tools/simulate/testing/captured-io';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { postgresAvailable, randomSchema, TEST_PG_URL } from '../support/service-probe';
import { dropSchemas, postgresEnv } from '../support/topologies';

/**
 * Sealed audit periods end to end, over real HTTP: an engine seals its log, a decision's proof checks out offline with
 * the CLI and stops checking out when altered, the verification endpoint and `verdict audit verify` (reading the store
 * directly) are clean until the database is edited behind the engine's back, and then name the position.
 */
const cli = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = new CapturedIo();
  const code = await runVerdictCli(args, io);
  return { code, out: io.stdoutText, err: io.stderrText };
};

/** Polls until the decision has a proof (the sealer runs on its own clock). */
async function provenProof(engine: RunningEngine, decisionId: string): Promise<Record<string, any>> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const res = await engine.get(`/v1/decisions/${decisionId}/proof`);
    if (res.status === 200) return res.json();
    expect(res.status).toBe(409);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`decision ${decisionId} was never sealed`);
}

/** Validates a response against a schema of the engine's own OpenAPI document. */
async function openApiCheck(engine: RunningEngine): Promise<(schema: string, value: unknown) => void> {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'verdict', components: (await (await engine.get('/openapi.json')).json()).components }, 'verdict');
  return (schema, value) => {
    const validate = ajv.getSchema(`verdict#/components/schemas/${schema}`)!;
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  };
}

describe('sealed audit periods on SQLite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-audit-e2e-'));
  const dataDir = path.join(dir, 'data');
  const eventsFile = path.join(dataDir, 'events.sqlite');
  let engine: RunningEngine | undefined;
  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 409 with the due time before a seal covers a decision, and validates verification requests', async () => {
    engine = await startEngine({ VERDICT_DATA_DIR: dataDir, VERDICT_SEAL_INTERVAL_SECONDS: '3600' });
    const decided = await (await engine.post('/v1/decisions', decisionRequest())).json();
    const res = await engine.get(`/v1/decisions/${decided.decisionId}/proof`);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await res.json();
    (await openApiCheck(engine))('Problem', body);
    expect(body).toMatchObject({ type: '/problems/not-sealed-yet', status: 409, position: String(decided.position), sealedThrough: '0' });
    expect(Date.parse(body.nextSealDueBy)).toBeGreaterThan(Date.now() + 3_000_000);
    expect((await engine.get('/v1/decisions/00000000-0000-4000-8000-000000000000/proof')).status).toBe(404);

    const unknownField = await engine.post('/v1/audit/verifications', { bogus: 1 });
    expect(unknownField.status).toBe(400);
    const badKey = await engine.post('/v1/audit/verifications', { publicKeys: ['not a key'] });
    expect(await badKey.json()).toMatchObject({ type: '/problems/validation-failed', errors: [{ path: '/publicKeys/0' }] });

    const keyFile = path.join(dataDir, 'keys', 'audit-seal-ed25519.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await engine.stop();
    engine = undefined;
    // A clean stop seals what is pending though no seal was due (docs/operations.md): the decision is covered.
    const verified = await cli('--json', 'audit', 'verify', '--event-store', eventsFile);
    expect(verified).toMatchObject({ code: 0, err: '' });
    const report = JSON.parse(verified.out);
    expect(report).toMatchObject({ clean: true, seals: 1 });
    expect(BigInt(report.sealedThrough)).toBeGreaterThanOrEqual(BigInt(decided.position));
  });

  let decision: { decisionId: string; position: number };
  let keyPem: string;

  it('after a restart, seals the log; the proof verifies offline and fails once altered', async () => {
    engine = await startEngine({ VERDICT_DATA_DIR: dataDir, VERDICT_SEAL_INTERVAL_SECONDS: '0.2' });
    decision = await (await engine.post('/v1/decisions', decisionRequest())).json();
    const proof = await provenProof(engine, decision.decisionId);
    expect(proof).toMatchObject({ event: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'DecisionMade', position: String(decision.position) }, seal: { header: { count: expect.any(Number) } } });

    const valid = await openApiCheck(engine);
    valid('EventProof', proof);
    const keys = await (await engine.get('/v1/audit/keys')).json();
    for (const k of keys.keys) valid('AuditPublicKey', k);
    expect(keys.keys).toEqual([expect.objectContaining({ keyId: keys.activeKeyId, algorithm: 'ed25519' })]);
    keyPem = keys.keys[0].publicKeyPem;
    const listed = await cli('--url', engine.url, '--api-key', engine.adminKey, 'audit', 'keys');
    expect(listed.out).toMatch(new RegExp(`${keys.activeKeyId}\\s+ed25519`));

    const files = mkdtempSync(path.join(dir, 'proof-'));
    writeFileSync(path.join(files, 'key.pem'), keyPem);
    writeFileSync(path.join(files, 'proof.json'), JSON.stringify(proof));
    const checked = await cli('audit', 'verify-proof', path.join(files, 'proof.json'), '--public-key', path.join(files, 'key.pem'));
    expect(checked).toMatchObject({ code: 0, err: '' });
    expect(checked.out).toMatch(/^valid: DecisionMade decision-/);

    proof.event.data.score = 0.0001;
    writeFileSync(path.join(files, 'altered.json'), JSON.stringify(proof));
    const altered = await cli('audit', 'verify-proof', path.join(files, 'altered.json'), '--public-key', path.join(files, 'key.pem'));
    expect(altered.code).toBe(3);
    expect(altered.out).toMatch(/^INVALID: .*\n {2}FAIL event-hash/);
  });

  it('verifies clean through the API and from the store file, then names the position of a direct UPDATE', async () => {
    const clean = await (await engine!.post('/v1/audit/verifications', {})).json();
    expect(clean).toMatchObject({ clean: true, findings: [], trust: 'audit-keys' });
    expect(clean.seals).toBeGreaterThanOrEqual(1);
    const fromFile = await cli('audit', 'verify', '--event-store', eventsFile);
    expect(fromFile).toMatchObject({ code: 0, err: '' });
    expect(fromFile.out).toMatch(/^clean: /);

    const db = new Database(eventsFile);
    db.prepare(`UPDATE events SET data = json_set(data, '$.outcome', 'approve', '$.score', 0.0001) WHERE position = ?`).run(decision.position);
    db.close();

    const report = await (await engine!.post('/v1/audit/verifications', {})).json();
    (await openApiCheck(engine!))('AuditVerificationReport', report);
    expect(report.clean).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'altered', position: String(decision.position), stream: expect.stringMatching(/^decision-/) })]);
    const found = await cli('--json', 'audit', 'verify', '--event-store', eventsFile);
    expect(found.code).toBe(3);
    expect(JSON.parse(found.out).findings).toEqual([expect.objectContaining({ kind: 'altered', position: String(decision.position) })]);
    const human = await cli('audit', 'verify', '--event-store', eventsFile);
    expect(human.out).toMatch(new RegExp(`altered\\s+\\d+\\s+position ${decision.position}\\s+decision-`));
    const otherKey = await cli('audit', 'verify', '--event-store', eventsFile, '--public-key', path.join(path.dirname(eventsFile), 'missing.pem'));
    expect(otherKey.code).toBe(1);
  });

  it('names a sealed row that no longer parses among the other findings, and still proves its untouched neighbour', async () => {
    // Two decisions made at once are nearly always sealed together (a seal every 0.2 s).
    let pair: { decisionId: string; position: number }[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      pair = await Promise.all([1, 2].map(async () => (await engine!.post('/v1/decisions', decisionRequest())).json()));
      const proofs = await Promise.all(pair.map((d) => provenProof(engine!, d.decisionId)));
      if (proofs[0].seal.header.index === proofs[1].seal.header.index) break;
    }
    const [broken, neighbour] = pair;
    const db = new Database(eventsFile);
    db.prepare(`UPDATE events SET data = '{not json' WHERE position = ?`).run(broken.position);
    db.close();

    const proof = await engine!.get(`/v1/decisions/${neighbour.decisionId}/proof`);
    expect(proof.status).toBe(200);
    // The broken row itself cannot be served: a 500 that names it and says what to run, not an outage to retry.
    const unreadable = await engine!.get(`/v1/decisions/${broken.decisionId}/proof`);
    expect(unreadable.status).toBe(500);
    expect(await unreadable.json()).toMatchObject({ type: '/problems/internal-error', detail: expect.stringContaining(`position ${broken.position}`) });
    const verification = await engine!.post('/v1/audit/verifications', {});
    expect(verification.status).toBe(200);
    const expected = [
      expect.objectContaining({ kind: 'altered', position: String(decision.position) }),
      expect.objectContaining({ kind: 'altered', position: String(broken.position), detail: expect.stringContaining('its data is not JSON') }),
    ];
    expect((await verification.json()).findings).toEqual(expected);
    const found = await cli('--json', 'audit', 'verify', '--event-store', eventsFile);
    expect(found).toMatchObject({ code: 3, err: '' });
    expect(JSON.parse(found.out).findings).toEqual(expected);
  });
});

const pg = postgresAvailable('sealed audit periods on PostgreSQL');
(pg ? describe : describe.skip)('sealed audit periods on PostgreSQL', () => {
  const schemas = { es: randomSchema('verdict_seal_es'), rm: randomSchema('verdict_seal_rm'), art: randomSchema('verdict_seal_art') };
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine({ ...postgresEnv(schemas), VERDICT_SEAL_INTERVAL_SECONDS: '0.2' });
  });
  afterAll(async () => {
    await engine?.stop();
    await dropSchemas(...Object.values(schemas));
  });

  it('seals, proves, verifies clean, and names the position of a direct UPDATE (API and CLI on the database)', async () => {
    const decided = await (await engine.post('/v1/decisions', decisionRequest())).json();
    const proof = await provenProof(engine, decided.decisionId);
    expect(proof.event.position).toBe(String(decided.position));
    expect(await (await engine.post('/v1/audit/verifications', {})).json()).toMatchObject({ clean: true, store: 'postgres' });
    const cleanCli = await cli('audit', 'verify', '--event-store', TEST_PG_URL, '--schema', schemas.es);
    expect(cleanCli.code).toBe(0);

    const client = new Client({ connectionString: TEST_PG_URL });
    await client.connect();
    await client.query(`UPDATE "${schemas.es}".events SET data = jsonb_set(data, '{score}', '0.0001') WHERE position = $1`, [decided.position]);
    await client.end();

    const report = await (await engine.post('/v1/audit/verifications', {})).json();
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'altered', position: String(decided.position) })]);
    const found = await cli('audit', 'verify', '--event-store', TEST_PG_URL, '--schema', schemas.es);
    expect(found.code).toBe(3);
    expect(found.out).toContain(`position ${decided.position}`);
  });
});
