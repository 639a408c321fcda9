import { CreateReadModels1767225600000 as CreatePostgresReadModels } from './postgres/1767225600000-create-read-models';
import { CreateReadModels1767225600000 as CreateSqliteReadModels } from './sqlite/1767225600000-create-read-models';
import { ModelsAndDeployments1767312000000 as PostgresModelsAndDeployments } from './postgres/1767312000000-models-and-deployments';
import { ModelsAndDeployments1767312000000 as SqliteModelsAndDeployments } from './sqlite/1767312000000-models-and-deployments';
import { LabelsAndReviews1767398400000 as PostgresLabelsAndReviews } from './postgres/1767398400000-labels-and-reviews';
import { LabelsAndReviews1767398400000 as SqliteLabelsAndReviews } from './sqlite/1767398400000-labels-and-reviews';
import { Alerts1767484800000 as PostgresAlerts } from './postgres/1767484800000-alerts';
import { Alerts1767484800000 as SqliteAlerts } from './sqlite/1767484800000-alerts';
import { DriftHistograms1767571200000 as PostgresDriftHistograms } from './postgres/1767571200000-drift-histograms';
import { DriftHistograms1767571200000 as SqliteDriftHistograms } from './sqlite/1767571200000-drift-histograms';
import { DeferredIndexes1767657600000 as PostgresDeferredIndexes } from './postgres/1767657600000-deferred-indexes';
import { DeferredIndexes1767657600000 as SqliteDeferredIndexes } from './sqlite/1767657600000-deferred-indexes';
import { SubjectRefs1767744000000 as PostgresSubjectRefs } from './postgres/1767744000000-subject-refs';
import { SubjectRefs1767744000000 as SqliteSubjectRefs } from './sqlite/1767744000000-subject-refs';
import { ErasedKeys1767830400000 as PostgresErasedKeys } from './postgres/1767830400000-erased-keys';
import { ErasedKeys1767830400000 as SqliteErasedKeys } from './sqlite/1767830400000-erased-keys';
import { TransactionIdNotUnique1767916800000 as PostgresTransactionIdNotUnique } from './postgres/1767916800000-transaction-id-not-unique';
import { TransactionIdNotUnique1767916800000 as SqliteTransactionIdNotUnique } from './sqlite/1767916800000-transaction-id-not-unique';

/** The read-model migrations of each dialect, oldest first. Listed explicitly: no globbing of .ts vs .js files. */
export const SQLITE_READ_MODEL_MIGRATIONS = [CreateSqliteReadModels, SqliteModelsAndDeployments, SqliteLabelsAndReviews, SqliteAlerts, SqliteDriftHistograms, SqliteDeferredIndexes, SqliteSubjectRefs, SqliteErasedKeys, SqliteTransactionIdNotUnique];
export const POSTGRES_READ_MODEL_MIGRATIONS = [CreatePostgresReadModels, PostgresModelsAndDeployments, PostgresLabelsAndReviews, PostgresAlerts, PostgresDriftHistograms, PostgresDeferredIndexes, PostgresSubjectRefs, PostgresErasedKeys, PostgresTransactionIdNotUnique];
