import { CreateReadModels1767225600000 as CreatePostgresReadModels } from './postgres/1767225600000-create-read-models';
import { CreateReadModels1767225600000 as CreateSqliteReadModels } from './sqlite/1767225600000-create-read-models';

/** The read-model migrations of each dialect, oldest first. Listed explicitly: no globbing of .ts vs .js files. */
export const SQLITE_READ_MODEL_MIGRATIONS = [CreateSqliteReadModels];
export const POSTGRES_READ_MODEL_MIGRATIONS = [CreatePostgresReadModels];
