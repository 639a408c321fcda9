import type { DataSource } from 'typeorm';
import { ModelVersionRecord } from '../entities/model-version-record.entity';
import { runExclusive } from '../exclusive-access';
import { tableOf, timestampValue } from '../sql-dialect';

export interface ModelListVersion {
  readonly version: string;
  readonly sha256: string;
  readonly servedSha256: string;
  readonly registeredAt: string;
  readonly retiredAt: string | null;
  /** Whether the version can decide (its manifest names features). */
  readonly decides: boolean;
}

export interface ModelList {
  readonly items: readonly { readonly name: string; readonly versions: readonly ModelListVersion[] }[];
}

/** The registry's read model: every model by name, its versions in registration order. */
export class ModelListQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<ModelList> {
    const table = tableOf(this.dataSource.manager, ModelVersionRecord);
    const rows = (await runExclusive(this.dataSource, () =>
      this.dataSource.query(
        `SELECT "name", "version", "sha256", "served_sha256", "registered_at", "retired_at", "decides" FROM ${table} ORDER BY "name", "position"`,
      ),
    )) as { name: string; version: string; sha256: string; served_sha256: string; registered_at: unknown; retired_at: unknown; decides: unknown }[];
    const byName = new Map<string, ModelListVersion[]>();
    for (const r of rows) {
      const versions = byName.get(r.name) ?? [];
      versions.push({
        version: r.version,
        sha256: r.sha256,
        servedSha256: r.served_sha256,
        registeredAt: timestampValue(r.registered_at).toISOString(),
        retiredAt: r.retired_at === null ? null : timestampValue(r.retired_at).toISOString(),
        decides: r.decides === true || r.decides === 1,
      });
      byName.set(r.name, versions);
    }
    return { items: [...byName].map(([name, versions]) => ({ name, versions })) };
  }
}
