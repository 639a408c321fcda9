import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The committed model is not an opaque artefact: the train command, run as a user would, must reproduce its exact
 * bytes (and model.json, MODEL_CARD.md). Runs in a child process because training inside Jest's VM is ~3× slower.
 */
describe('npm run train -- --check', () => {
  it.each(['1.0.0', '2.0.0'])('reproduces the committed models/fraud-demo/%s byte for byte', (version) => {
    const run = spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), path.join(ROOT, 'tools/train/train.ts'), '--check', '--model-version', version], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(`${run.stdout}\n${run.stderr}`).toContain('check passed');
    expect(run.status).toBe(0);
  });
});
