import 'reflect-metadata';
import { boundShutdown, createLogger, loadConfig, lowerV8PoolPriority } from '@verdict/config';
import { createEngineApp } from './engine-app';
import { ListeningSockets } from './http/listening-sockets';
import { SHUTDOWN_BOUND_MS } from './infrastructure/shutdown-bound';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'verdict-engine');
  // V8's compiles and concurrent GC work yield to the request path, as the background threads do.
  const v8Pool = lowerV8PoolPriority(config.threads.backgroundNice);
  if (v8Pool.refused !== undefined) logger.info({ reason: v8Pool.refused, lowered: v8Pool.lowered }, "V8's compiler and GC threads: not all run below the request path");
  const { app } = await createEngineApp(config, logger);
  // SIGTERM/SIGINT: drain HTTP, flush group commits and projections, close stores, then exit 0 (docs/operations.md).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  boundShutdown(['SIGTERM', 'SIGINT'], logger, SHUTDOWN_BOUND_MS, 'draining HTTP, then flushing');
  const sockets = app.get(ListeningSockets);
  await sockets.listen(app, { port: config.port, host: config.host, sockets: config.listenSockets });
  logger.info(
    { url: await app.getUrl(), listeningSockets: sockets.count, eventStore: config.eventStore.kind, readModels: config.readModels.kind, projections: config.projections.inline ? 'inline' : 'off', model: config.model.path, v8PoolThreadsLowered: v8Pool.lowered },
    'Verdict engine listening',
  );
}

main().catch((error: unknown) => {
  // Startup failures (bad config, unreachable store, unloadable model) end the process with the reason on stderr.
  console.error(error instanceof Error ? `verdict-engine failed to start: ${error.message}` : error);
  process.exit(1);
});
