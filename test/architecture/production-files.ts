import { readdirSync } from 'node:fs';
import path from 'node:path';

const SOURCE = /\.(ts|js|mjs|cjs)$/;

/**
 * Production source files under `roots` (relative to `base`): everything but specs, files under a `testing/` folder
 * (test helpers that live beside the code they serve), node_modules and build output. Paths relative to `base`.
 */
export function productionFiles(base: string, roots: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(base, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', 'testing'].includes(entry.name)) walk(relative);
      } else if (SOURCE.test(entry.name) && !/\.spec\.ts$/.test(entry.name)) {
        found.push(relative.split(path.sep).join('/'));
      }
    }
  };
  for (const root of roots) walk(root);
  return found.sort();
}
