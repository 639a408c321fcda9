import 'reflect-metadata';
import { boundShutdown, loadConfig } from '@verdict/config';
import pino from 'pino';
import { printable } from './projection-supervisor';
import { createProjectorApp } from './projector-app';

/**
 * The projections as their own process (production: VERDICT_PROJECTIONS=off in the engine, this next to it).
 * SIGTERM/SIGINT: in-flight batches commit, stores close, then the process exits.
 */

/** The longest a stop may take (boundShutdown): a batch in flight commits, then the stores close. */
const SHUTDOWN_BOUND_MS = 15_000;
async function main(): Promise<void> {
  const config = loadConfig();
  // Synchronous stdout: the last lines before exit (shutdown summary, fatal error) must not sit in a buffer.
  const logger = pino(
    { name: 'verdict-projector', level: config.logLevel, base: { service: 'verdict-projector' } },
    pino.destination({ dest: 1, sync: true }),
  );
  const { app, supervisor } = await createProjectorApp(config, logger);
  // process.exit(0) after the hooks instead of re-raising the signal: a clean stop is a clean exit code.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  boundShutdown(['SIGTERM', 'SIGINT'], logger, SHUTDOWN_BOUND_MS, 'committing the batches in flight, then closing the stores');
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
