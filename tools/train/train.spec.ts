import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ModelManifest } from './model-manifest';
import { runTrainCommand } from './train';
import { sha256Hex } from './training-pipeline';

const ARGS = ['--customers', '300', '--terminals', '150', '--days', '12', '--test-days', '3', '--validation-days', '2', '--max-trees', '25', '--quiet', '--no-external'];

describe('train command', () => {
  let dir: string;
  const lines: string[] = [];
  const log = (l: string): void => void lines.push(l);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'verdict-train-cmd-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes model.onnx, model.json and MODEL_CARD.md that agree with each other', async () => {
    expect(await runTrainCommand([...ARGS, '--out', dir, '--model-version', '9.9.9'], log)).toBe(0);
    const onnx = readFileSync(path.join(dir, 'model.onnx'));
    const manifest = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelManifest;
    expect(manifest.version).toBe('9.9.9');
    expect(manifest.sha256).toBe(sha256Hex(onnx));
    expect(manifest.training.simulation).toMatchObject({ customers: 300, terminals: 150, days: 12 });
    expect(manifest.metrics.external).toBeNull();
    const card = readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain(manifest.sha256);
    expect(card).toContain('Not run');
  });

  it('--check passes on the files it wrote and writes nothing', async () => {
    const before = readFileSync(path.join(dir, 'model.json'), 'utf8');
    expect(await runTrainCommand([...ARGS, '--out', dir, '--model-version', '9.9.9', '--check'], log)).toBe(0);
    expect(readFileSync(path.join(dir, 'model.json'), 'utf8')).toBe(before);
  });

  it('--check fails (exit 1) when the committed training statistics differ from the retrained ones', async () => {
    const file = path.join(dir, 'model.json');
    const committed = readFileSync(file, 'utf8');
    const manifest = JSON.parse(committed) as ModelManifest;
    const [first, ...rest] = manifest.trainingStatistics.features;
    const shifted = { ...first!, proportions: [...first!.proportions].reverse() };
    writeFileSync(file, JSON.stringify({ ...manifest, trainingStatistics: { ...manifest.trainingStatistics, features: [shifted, ...rest] } }, null, 2));
    try {
      lines.length = 0;
      expect(await runTrainCommand([...ARGS, '--out', dir, '--model-version', '9.9.9', '--check'], log)).toBe(1);
      expect(lines).toContainEqual(expect.stringMatching(/^CHECK FAILED: .*trainingStatistics differ/));
    } finally {
      writeFileSync(file, committed);
    }
  });

  it('--check fails (exit 1) when the committed bytes differ or are missing', async () => {
    const file = path.join(dir, 'model.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    expect(await runTrainCommand([...ARGS, '--out', dir, '--model-version', '9.9.9', '--check'], log)).toBe(1);
    expect(lines.some((l) => l.startsWith('CHECK FAILED'))).toBe(true);
    const empty = mkdtempSync(path.join(tmpdir(), 'verdict-train-empty-'));
    try {
      expect(await runTrainCommand([...ARGS, '--out', empty, '--check'], log)).toBe(1);
      expect(existsSync(path.join(empty, 'model.onnx'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects a non-integer option', async () => {
    await expect(runTrainCommand(['--days', 'many', '--out', dir], log)).rejects.toThrow(/integer/);
  });
});
