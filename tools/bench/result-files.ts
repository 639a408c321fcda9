import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineInfo } from './machine-info';

/**
 * Writes a one-table benchmark's `<name>.json` (every figure) and `<name>.md` (a title with the run's date, the
 * machine and commit, then the table's lines) into `outDir`.
 */
export function writeResultFiles(outDir: string, name: string, result: { readonly date: string; readonly machine: MachineInfo }, title: string, table: readonly string[]): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const m = result.machine;
  writeFileSync(
    path.join(outDir, `${name}.md`),
    [`# ${title} (${result.date.slice(0, 10)})`, '', `${m.date} · commit ${m.gitCommit ?? 'n/a'} · Node ${m.node} · ${m.nproc} × ${m.cpuModel}`, '', ...table, ''].join('\n'),
  );
}
