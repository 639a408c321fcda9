import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { componentOf, cpuProfilesOf, summarizeCpuProfile } from './cpu-profile-summary';

const root = '/repo';
const frame = (url: string, functionName = 'f', lineNumber = 0) => ({ url, functionName, lineNumber });

describe('componentOf', () => {
  it.each([
    ['file:///repo/node_modules/typeorm/driver/x.js', 'npm:typeorm'],
    ['file:///repo/node_modules/@nestjs/core/injector.js', 'npm:@nestjs/core'],
    ['file:///repo/node_modules/a/node_modules/b/index.js', 'npm:a'],
    ['file:///repo/dist/libs/event-store/src/sqlite/x.js', 'libs/event-store'],
    ['file:///repo/dist/apps/engine/src/main.js', 'apps/engine'],
    ['node:internal/modules/cjs/loader', 'node internals'],
  ])('%s → %s', (url, component) => {
    expect(componentOf(frame(url), root)).toBe(component);
  });

  it('names V8 buckets by their function name', () => {
    expect(componentOf(frame('', '(garbage collector)'), root)).toBe('(garbage collector)');
    expect(componentOf(frame('', 'writev'), root)).toBe('(writev)');
  });
});

describe('summarizeCpuProfile', () => {
  it('adds up self time per component, per function and per activity', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-prof-'));
    try {
      const file = path.join(dir, 'x.cpuprofile');
      // root → handler (engine) → build (domain); root → projection → query (typeorm); root → GC
      const nodes = [
        { id: 1, callFrame: frame('', '(root)'), children: [2, 4, 6] },
        { id: 2, callFrame: frame('file:///repo/dist/apps/engine/src/h.js', 'handle', 1), children: [3] },
        { id: 3, callFrame: frame('file:///repo/dist/libs/domain/src/f.js', 'build', 4) },
        { id: 4, callFrame: frame('file:///repo/dist/libs/read-models/src/p.js', 'project', 2), children: [5] },
        { id: 5, callFrame: frame('file:///repo/node_modules/typeorm/q.js', 'query', 9) },
        { id: 6, callFrame: frame('', '(garbage collector)') },
      ];
      writeFileSync(file, JSON.stringify({ nodes, samples: [5, 5, 3, 6, 2], timeDeltas: [200_000, 200_000, 200_000, 200_000, 200_000] }));
      const s = summarizeCpuProfile(file, root);
      expect(s.sampledSeconds).toBe(1);
      expect(s.byComponent).toEqual([
        { name: 'npm:typeorm', percent: 40 },
        { name: 'libs/domain', percent: 20 },
        { name: '(garbage collector)', percent: 20 },
        { name: 'apps/engine', percent: 20 },
      ]);
      expect(s.topFunctions[0]).toEqual({ name: 'query typeorm/q.js:10', percent: 40 });
      expect(s.byActivity).toEqual([
        { name: 'projections (read models)', percent: 40 },
        { name: 'features, decide, explanation (libs/domain)', percent: 20 },
        { name: 'garbage collection', percent: 20 },
        { name: 'other (start-up, timers, runtime)', percent: 20 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cpuProfilesOf', () => {
  it("finds one process's profiles, main thread first, ignoring other processes and files", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-prof-'));
    try {
      for (const name of [
        'CPU.20261126.012155.14723.1.002.cpuprofile',
        'CPU.20261126.012155.14723.0.001.cpuprofile',
        'CPU.20261126.012155.999.0.001.cpuprofile',
        'notes.txt',
      ]) {
        writeFileSync(path.join(dir, name), '{}');
      }
      expect(cpuProfilesOf(dir, 14723)).toEqual([
        { threadId: 0, file: path.join(dir, 'CPU.20261126.012155.14723.0.001.cpuprofile') },
        { threadId: 1, file: path.join(dir, 'CPU.20261126.012155.14723.1.002.cpuprofile') },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
