import type { ValueTransformer } from 'typeorm';

/**
 * bigint columns: written as decimal text (both drivers store it as an exact 64-bit integer), read back from
 * whatever the driver returns (pg: string, better-sqlite3: number). Code that must be exact above 2^53 on SQLite
 * selects `CAST(position AS TEXT)` instead of relying on entity hydration.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | bigint | null) => (value === null ? null : BigInt(value)),
};
