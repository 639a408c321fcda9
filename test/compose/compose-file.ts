import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Healthcheck {
  readonly test: string | readonly string[];
  readonly interval?: string;
  readonly retries?: number;
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context: string; readonly dockerfile?: string };
  readonly command?: string | readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>>;
  readonly ports?: readonly string[];
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>> | readonly string[];
  readonly healthcheck?: Healthcheck;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

/**
 * Compose's interpolation, the subset the file uses: `${NAME:-default}` / `${NAME-default}` / `${NAME}` from `vars`,
 * `$$` for a literal `$`. Unset variables without a default are an error here (compose would warn and use "").
 */
export function interpolate(value: string, vars: Readonly<Record<string, string | undefined>> = {}): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (match, name?: string, op?: string, fallback?: string) => {
    if (match === '$$') return '$';
    const v = vars[name!];
    if (op === ':-') return v ? v : fallback!;
    if (op === '-') return v !== undefined ? v : fallback!;
    if (v === undefined) throw new Error(`compose variable ${name} has no value and no default`);
    return v;
  });
}

/** Loads a compose file with YAML merge keys (`<<: *anchor`) resolved, as compose does. */
export function loadCompose(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** A service's environment after interpolation with defaults, as strings (what the process sees). */
export function serviceEnv(service: ComposeService): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.environment ?? {})) out[k] = v === null ? '' : interpolate(String(v));
  return out;
}

export function commandArgs(command: string | readonly string[] | undefined): string[] {
  if (command === undefined) return [];
  return typeof command === 'string' ? command.split(/\s+/).filter(Boolean) : [...command];
}
