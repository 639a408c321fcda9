import { readFileSync } from 'node:fs';

export interface Instruction {
  readonly keyword: string;
  /** Arguments with line continuations joined. */
  readonly args: string;
}

export interface Stage {
  readonly name: string;
  /** Base image with ARG defaults substituted. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

/** Parses a Dockerfile into stages: enough to check what is copied, run, set and started; not a full parser. */
export function parseDockerfile(file: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    lines.push((pending + line).replace(/\s+/g, ' ').trim());
    pending = '';
  }
  const args: Record<string, string> = {};
  const stages: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    const keyword = m[1].toUpperCase();
    const rest = m[2];
    if (keyword === 'ARG' && stages.length === 0) {
      const [k, v] = rest.split('=');
      args[k] = v ?? '';
      continue;
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_s, name: string) => args[name] ?? '');
      stages.push({ name: from[2] ?? String(stages.length), from: image, instructions: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`instruction before FROM: ${line}`);
    stages[stages.length - 1].instructions.push({ keyword, args: rest });
  }
  return stages;
}

/** COPY arguments without flags: sources then destination; `from` is the --from stage, if any. */
export function copyArgs(instruction: Instruction): { from?: string; sources: string[]; dest: string } {
  const parts = instruction.args.split(' ');
  const flags = parts.filter((p) => p.startsWith('--'));
  const paths = parts.filter((p) => !p.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
}

/** The exec form (JSON array) of CMD/ENTRYPOINT. */
export function execForm(instruction: Instruction): string[] {
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed)) throw new Error(`${instruction.keyword} is not in exec form: ${instruction.args}`);
  return parsed.map(String);
}
