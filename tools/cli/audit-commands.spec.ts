import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteEventStore } from '@verdict/event-store';
import { appendDecisions, sealAll, testSigner } from '@verdict/audit/testing/sealed-fixture';
import { CapturedIo } from '../simulate/testing/captured-io';
import { runVerdictCli } from './verdict';

/** `verdict audit` against a store file, without an engine: the auditor's own machine. */
describe('verdict audit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verdict-audit-cli-'));
  const file = path.join(dir, 'events.sqlite');
  const signer = testSigner();
  beforeAll(async () => {
    const store = await createSqliteEventStore({ path: file });
    await appendDecisions(store, 1, 30);
    await sealAll(store, signer, 8);
    await store.close();
    writeFileSync(path.join(dir, 'trusted.pem'), signer.publicKeyPem);
    writeFileSync(path.join(dir, 'garbage.pem'), 'not a key');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...args: string[]) => {
    const io = new CapturedIo();
    const code = await runVerdictCli(args, io);
    return { code, out: io.stdoutText, err: io.stderrText };
  };

  it('verifies a store file clean on 1 and 2 threads (the key, 30 decisions and 3 earlier seal events), against its own keys or a trusted one', async () => {
    for (const threads of ['1', '2']) {
      const r = await run('audit', 'verify', '--event-store', file, '--threads', threads);
      expect(r).toMatchObject({ code: 0 });
      expect(r.out).toMatch(/^clean: 4 seal\(s\), 32 event\(s\) checked on sqlite/);
      expect(r.out).toContain('from audit-keys in the store');
    }
    const trusted = await run('--json', 'audit', 'verify', '--event-store', file, '--public-key', path.join(dir, 'trusted.pem'));
    expect(JSON.parse(trusted.out)).toMatchObject({ clean: true, trust: 'trusted-keys', keys: [signer.keyId] });
  });

  it('refuses a store path that does not exist (it would verify an empty store clean), bad keys and bad thread counts', async () => {
    expect(await run('audit', 'verify', '--event-store', path.join(dir, 'typo.sqlite'))).toMatchObject({ code: 1, err: expect.stringMatching(/no event store at .*typo\.sqlite/) });
    expect(await run('audit', 'verify', '--event-store', file, '--public-key', path.join(dir, 'garbage.pem'))).toMatchObject({ code: 1, err: expect.stringMatching(/garbage\.pem: not an Ed25519 public key/) });
    expect((await run('audit', 'verify', '--event-store', file, '--threads', '0')).code).toBe(2);
    expect((await run('audit', 'verify-proof', path.join(dir, 'proof.json'))).code).toBe(2); // --public-key is required
  });
});
