import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEngineProcess, type EngineProcess } from '../support/engine-process';
import { decisionRequest } from '../support/engine-harness';

const ROOT = path.resolve(__dirname, '..', '..');
// Inside the repository, so the compiled code finds node_modules and the repository root (package.json, models/).
const OUT = path.join(ROOT, 'node_modules', '.cache', 'verdict-built-engine');

/**
 * What `npm start` runs: the engine compiled by `npm run build` (tsc + tsc-alias), not the TypeScript the other
 * suites load. Paths that only resolve from source (a require of a file beside the sources) fail here first.
 */
describe('the built engine (npm run build, then node dist/apps/engine/src/main.js)', () => {
  let engine: EngineProcess;
  let dataDir: string;

  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    for (const [tool, args] of [
      ['typescript/bin/tsc', ['-p', 'tsconfig.build.json', '--outDir', OUT]],
      ['tsc-alias/dist/bin/index.js', ['-p', 'tsconfig.build.json', '--outDir', OUT]],
    ] as const) {
      const run = spawnSync(process.execPath, [require.resolve(tool, { paths: [ROOT] }), ...args], { cwd: ROOT, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${tool} failed:\n${run.stdout}\n${run.stderr}`);
    }
  }, 300_000);
  afterAll(async () => {
    await engine?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(OUT, { recursive: true, force: true });
  });

  it('starts on a fresh data directory, bootstraps its champion, decides, and serves the registry and /v2', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'verdict-built-'));
    engine = await startEngineProcess({ VERDICT_DATA_DIR: dataDir }, path.join(OUT, 'apps/engine/src/main.js'));
    const ready = await (await fetch(`${engine.url}/health/ready`)).json();
    expect(ready).toMatchObject({ status: 'ok', checks: { deployment: { status: 'up', revision: 1 } } });
    const res = await fetch(`${engine.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...engine.authHeaders() }, body: JSON.stringify(decisionRequest()) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ model: { name: 'fraud-demo' }, deployment: { revision: 1, arm: 'champion' } });
    expect(await (await fetch(`${engine.url}/v1/models/fraud-demo/versions/2.0.0`, { headers: engine.authHeaders() })).json()).toMatchObject({ deployedAs: ['champion'] });
    expect(await (await fetch(`${engine.url}/v2`, { headers: engine.authHeaders() })).json()).toMatchObject({ name: 'verdict', version: expect.any(String) });
  });
});
