import type { DataSource } from 'typeorm';
import { ProjectionCheckpoint } from '../entities/projection-checkpoint.entity';
import { dialectOf, tableOf } from '../sql-dialect';

export const INJECTED_CHECKPOINT_FAILURE = 'injected checkpoint write failure';

/**
 * Test-only crash injection done by the database itself: a trigger makes every checkpoint write at or beyond
 * `fromPosition` fail, i.e. the last statement of a projection transaction, after the handler wrote its rows.
 */
export async function failCheckpointWritesFrom(dataSource: DataSource, fromPosition: bigint): Promise<void> {
  const table = tableOf(dataSource.manager, ProjectionCheckpoint);
  const p = fromPosition.toString();
  if (dialectOf(dataSource) === 'sqlite') {
    for (const op of ['INSERT', 'UPDATE']) {
      await dataSource.query(
        `CREATE TRIGGER "fail_checkpoint_${op.toLowerCase()}" BEFORE ${op} ON ${table}
         WHEN NEW."position" >= ${p} BEGIN SELECT RAISE(ABORT, '${INJECTED_CHECKPOINT_FAILURE}'); END`,
      );
    }
    return;
  }
  const schema = table.split('.')[0];
  await dataSource.query(`CREATE FUNCTION ${schema}."fail_checkpoint"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW."position" >= ${p} THEN RAISE EXCEPTION '${INJECTED_CHECKPOINT_FAILURE}'; END IF; RETURN NEW; END $$`);
  await dataSource.query(
    `CREATE TRIGGER "fail_checkpoint" BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${schema}."fail_checkpoint"()`,
  );
}

export async function healCheckpointWrites(dataSource: DataSource): Promise<void> {
  const table = tableOf(dataSource.manager, ProjectionCheckpoint);
  if (dialectOf(dataSource) === 'sqlite') {
    await dataSource.query(`DROP TRIGGER "fail_checkpoint_insert"`);
    await dataSource.query(`DROP TRIGGER "fail_checkpoint_update"`);
    return;
  }
  const schema = table.split('.')[0];
  await dataSource.query(`DROP TRIGGER "fail_checkpoint" ON ${table}`);
  await dataSource.query(`DROP FUNCTION ${schema}."fail_checkpoint"()`);
}
