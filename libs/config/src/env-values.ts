import { ConfigError } from './config-error';

// Parsers of one environment variable each: the default when unset or empty, else a ConfigError naming it.

export function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `must be a number in [${min}, ${max}], got "${raw}"`);
  return n;
}

export function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const n = num(env, name, fallback, min, max);
  if (!Number.isInteger(n)) throw new ConfigError(name, `must be a whole number, got "${env[name]}"`);
  return n;
}

export function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function list(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const raw = env[name];
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

/** PostgreSQL schema names (ignored by the other stores). */
export function pgSchema(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) throw new ConfigError(name, `must be a lower-case SQL identifier, got "${raw}"`);
  return raw;
}
