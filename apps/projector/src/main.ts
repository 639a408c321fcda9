import 'reflect-metadata';
import { boundShutdown, createLogger, loadConfig } from '@verdict/config';
import { printable } from './projection-supervisor';
import { createProjectorApp } from './projector-app';

/** The longest the projector's stop may take (boundShutdown): the batches in flight commit, then the stores close. */
const PROJECTOR_SHUTDOWN_BOUND_MS = 15_000;

/**
 * The projections as their own process (production: VERDICT_PROJECTIONS=off in the engine, this next to it).
 * SIGTERM/SIGINT: in-flight batches commit, stores close, then the process exits.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'verdict-projector');
  const { app, supervisor } = await createProjectorApp(config, logger);
  // process.exit(0) after the hooks instead of re-raising the signal: a clean stop is a clean exit code.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  boundShutdown(['SIGTERM', 'SIGINT'], logger, PROJECTOR_SHUTDOWN_BOUND_MS, 'committing the batches in flight, then closing the stores');
  logger.info(
    { eventStore: config.eventStore.kind, readModels: config.readModels.kind, projections: supervisor.status().map(printable) },
    'Verdict projector running',
  );

  const { projection, error } = await supervisor.failure;
  logger.fatal({ projection, err: error }, 'projection failed; exiting so the process is restarted from its checkpoint');
  await app.close();
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `verdict-projector failed to start: ${error.stack ?? error.message}` : error);
  process.exit(1);
});
