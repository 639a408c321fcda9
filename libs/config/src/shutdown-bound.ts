import type { Logger } from 'pino';

/**
 * Bounds a process's stop (the engine's, the projector's). From the signal on, a stop ends in exactly one of two ways:
 * the shutdown hooks finish and Nest calls `process.exit` (`useProcessExit`), or the bound runs out and the process
 * logs so and exits 1: an orchestrator waiting on a hung stop learns nothing from a SIGKILL.
 *
 * The bound's timer is ref'd on purpose. Idle worker threads and timers are unref'd so that they never hold a running
 * process; during a stop, a step waiting on only such things (an export whose client half-closed its socket, a flush
 * whose thread is idle between messages) would otherwise let the event loop empty and the process end with code 0
 * before its later steps ran. The lines logged at the exit are written only if the logger writes them at once
 * (createLogger does).
 */
export function boundShutdown(signals: readonly NodeJS.Signals[], logger: Logger, boundMs: number, steps: string): void {
  let stopping = false;
  for (const signal of signals) {
    process.once(signal, () => {
      // A second signal (SIGINT after SIGTERM) changes nothing: Nest ignores it too, and one bound holds.
      if (stopping) return;
      stopping = true;
      const from = performance.now();
      logger.info({ signal, boundMs }, `stopping: ${steps}`);
      // The last line an operator reads: how the stop ended, and how long it took.
      process.once('exit', (code) => logger.info({ signal, code, ms: Math.round(performance.now() - from) }, 'stopped'));
      setTimeout(() => {
        logger.error({ signal, boundMs }, 'stop exceeded its bound: exiting 1');
        process.exit(1);
      }, boundMs);
    });
  }
}
