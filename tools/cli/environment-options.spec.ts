import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runFuzzCli } from '../fuzz/fuzz';
import { runCli as runSimulateCli } from '../simulate/simulate';
import { CapturedIo } from '../simulate/testing/captured-io';
import { runVerdictCli } from './verdict';

/**
 * The CLIs' options from the environment (verdict's global options, simulate drive's, fuzz's): VERDICT_URL and VERDICT_API_KEY
 * are used when no flag is given, and help names the variables without printing what they hold (an API key on screen
 * ends up in scrollback and CI logs).
 */
describe('CLI options from the environment', () => {
  const SECRET = 'vdk_test_secret_never_printed_0123456789';
  const saved = { url: process.env.VERDICT_URL, key: process.env.VERDICT_API_KEY };
  let server: Server;
  let seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    // A real listening server that refuses every request as the engine refuses a bad key, and keeps the headers.
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(401, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'test server' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen = [];
    process.env.VERDICT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.VERDICT_API_KEY = SECRET;
  });
  afterEach(() => {
    for (const [name, value] of [['VERDICT_URL', saved.url], ['VERDICT_API_KEY', saved.key]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each([
    ['verdict --help', (io: CapturedIo) => runVerdictCli(['--help'], io)],
    ['simulate drive --help', (io: CapturedIo) => runSimulateCli(['drive', '--help'], io)],
    ['fuzz --help', (io: CapturedIo) => runFuzzCli(['--help'], io)],
  ])('%s names the variables and never prints the key they hold', async (_name, help) => {
    const io = new CapturedIo();
    expect(await help(io)).toBe(0);
    expect(io.stdoutText).toContain('VERDICT_API_KEY');
    expect(io.stdoutText).toContain('VERDICT_URL');
    expect(io.stdoutText + io.stderrText).not.toContain(SECRET);
  });

  it('sends the key from VERDICT_API_KEY to the engine at VERDICT_URL when no flag is given', async () => {
    const io = new CapturedIo();
    expect(await runVerdictCli(['models', 'list'], io)).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBe(`Bearer ${SECRET}`);
    expect(io.stderrText).toContain('test server');
  });

  it('fuzz reaches the engine at VERDICT_URL, and without a key says which variable to set', async () => {
    // The test server is no engine: the campaign stops at its first answer, after reaching it.
    await runFuzzCli(['--requests', '1'], new CapturedIo()).catch(() => 2);
    expect(seen.length).toBeGreaterThan(0);
    delete process.env.VERDICT_API_KEY;
    const io = new CapturedIo();
    expect(await runFuzzCli([], io)).toBe(2);
    expect(io.stderrText).toContain('VERDICT_API_KEY');
  });

  it('prefers the flags to the environment', async () => {
    const url = process.env.VERDICT_URL as string;
    process.env.VERDICT_URL = 'http://127.0.0.1:9'; // nothing listens there: only the flag's URL reaches the server
    const io = new CapturedIo();
    await runVerdictCli(['--url', url, '--api-key', 'vdk_from_flag', 'models', 'list'], io);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBe('Bearer vdk_from_flag');
  });
});
