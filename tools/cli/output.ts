import type { CliIo } from '../simulate/cli-io';

/** Prints `value` as JSON (--json) or as the human form `human` renders. */
export function print(io: CliIo, json: boolean, value: unknown, human: (v: never) => string): void {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value as never)}\n`);
}

/** A plain text table: columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const modelRef = (m: { name: string; version: string } | null | undefined): string => (m ? `${m.name}@${m.version}` : '-');
