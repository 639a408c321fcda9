import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root: the nearest ancestor of this file with the "verdict" package.json (works from src and dist). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'verdict') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No verdict package.json above ${from}`);
    dir = parent;
  }
}
