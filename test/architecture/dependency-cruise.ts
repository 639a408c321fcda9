import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNNER = path.join(__dirname, 'cruise.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.js');

/** The parts of dependency-cruiser's JSON result these checks read. */
export interface CruiseResult {
  readonly modules: readonly {
    readonly source: string;
    readonly dependencies: readonly { readonly module: string; readonly resolved: string; readonly couldNotResolve: boolean }[];
  }[];
  readonly summary: {
    readonly totalCruised: number;
    readonly violations: readonly { readonly rule: { readonly name: string }; readonly from: string; readonly to: string }[];
  };
}

/**
 * Cruises `folders` of the repository at `base` (relative paths are relative to it) with the root
 * .dependency-cruiser.js and `base`'s tsconfig.json, in a child process: dependency-cruiser is ESM-only.
 */
export function cruise(base: string, folders: readonly string[]): CruiseResult {
  const output = execFileSync(process.execPath, [RUNNER, CONFIG, 'tsconfig.json', ...folders], {
    cwd: base,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output) as CruiseResult;
}

/** "rule: from → to", a package in node_modules shown by its name. */
export function ruleViolations(result: CruiseResult): string[] {
  const target = (to: string): string => to.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+)\/.*$/, '$1');
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${target(v.to)}`).sort();
}

/**
 * Cycles in the graph of libs (libs/a → libs/b when any file of a imports one of b). dependency-cruiser only sees
 * cycles of files, and two libs can need each other through files that never form one.
 */
export function libCycles(result: CruiseResult): string[] {
  const libOf = (file: string): string | undefined => /^libs\/([^/]+)\//.exec(file)?.[1];
  const edges = new Map<string, Set<string>>();
  for (const module of result.modules) {
    const from = libOf(module.source);
    if (from === undefined) continue;
    for (const dependency of module.dependencies) {
      const to = libOf(dependency.resolved);
      if (to !== undefined && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const cycles = new Set<string>();
  const walk = (lib: string, trail: string[]): void => {
    const at = trail.indexOf(lib);
    if (at >= 0) {
      const cycle = trail.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]); // one spelling per cycle, from its first lib by name
      cycles.add(`lib cycle: ${[...cycle.slice(start), ...cycle.slice(0, start), cycle[start]].join(' → ')}`);
      return;
    }
    for (const next of edges.get(lib) ?? []) walk(next, [...trail, lib]);
  };
  for (const lib of edges.keys()) walk(lib, []);
  return [...cycles].sort();
}
