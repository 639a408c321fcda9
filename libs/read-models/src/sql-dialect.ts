import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** The two SQL dialects the read models run on. Hand-written SQL branches on this, nothing else. */
export type ReadModelDialect = 'sqlite' | 'postgres';

export function dialectOf(source: DataSource | EntityManager): ReadModelDialect {
  const type = ('connection' in source ? source.connection : source).options.type;
  return type === 'postgres' ? 'postgres' : 'sqlite';
}

/** Positional parameter number `n` (1-based). */
export function param(dialect: ReadModelDialect, n: number): string {
  return dialect === 'postgres' ? `$${n}` : '?';
}

/** The entity's table, schema-qualified and quoted, for hand-written SQL. */
export function tableOf(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): string {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  return metadata.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
}

/**
 * A timestamp parameter. SQLite keeps TypeORM's UTC text format, so text order is time order and entity hydration
 * reads it back; PostgreSQL gets an ISO instant for its timestamptz.
 */
export function timestampParam(dialect: ReadModelDialect, value: Date): string {
  const iso = value.toISOString();
  return dialect === 'postgres' ? iso : iso.replace('T', ' ').replace('Z', '');
}

/** A timestamp column value as either driver returns it. */
export function timestampValue(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const iso = /^\d{4}-\d{2}-\d{2} /.test(value) ? value.replace(' ', 'T') : value;
    return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  }
  throw new TypeError(`Not a timestamp: ${String(value)}`);
}

/** A bigint parameter: better-sqlite3 binds BigInt natively; node-postgres sends text that PostgreSQL casts. */
export function bigintParam(dialect: ReadModelDialect, value: bigint): bigint | string {
  return dialect === 'postgres' ? value.toString() : value;
}

/** A boolean parameter: better-sqlite3 binds no booleans (SQLite stores 0/1); node-postgres sends true/false. */
export function booleanParam(dialect: ReadModelDialect, value: boolean): boolean | number {
  return dialect === 'postgres' ? value : value ? 1 : 0;
}

/**
 * Empties a read model's table (a rebuild's first step). PostgreSQL: TRUNCATE, which leaves no dead rows for the
 * reload to step over (DELETE of 235k decisions took 0.5 s and left them all behind). SQLite: DELETE without a WHERE,
 * which it runs as a truncation.
 */
export async function emptyTable(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): Promise<void> {
  await manager.query(`${dialectOf(manager) === 'postgres' ? 'TRUNCATE' : 'DELETE FROM'} ${tableOf(manager, entity)}`);
}

/**
 * A PostgreSQL array literal of text elements (`{"a",NULL,"b"}`) for an `unnest($n::type[])` parameter: numbers and
 * bigints in their exact decimal form, strings quoted and escaped, null and undefined as NULL. Building it where the
 * rows are prepared keeps node-postgres from escaping every element on the thread that writes.
 */
export function postgresArrayLiteral(values: readonly unknown[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number' || typeof v === 'bigint') out += String(v);
    else out += `"${String(v).replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}
