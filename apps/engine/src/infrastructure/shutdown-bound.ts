import type { Logger } from 'pino';
import { HTTP_DRAIN_GRACE_MS } from './http-drain';

/**
 * The longest a stop may take from the signal to the exit: the HTTP drain's grace, then the flush (the last audit
 * seal, pending group commits, the projections' current batch, the threads). Past it the process exits 1 and says so:
 * an orchestrator waiting on a hung stop learns nothing from a SIGKILL. Nothing acknowledged is at stake, since every
 * answered decision was durable before its answer.
 */
export const SHUTDOWN_BOUND_MS = HTTP_DRAIN_GRACE_MS + 15_000;

/**
 * From the signal on, a stop ends in exactly one of two ways: the shutdown hooks finish and Nest calls `process.exit`,
 * or the bound runs out. Idle worker threads and timers are unref'd so that they never hold a running engine; during
 * a stop, a step waiting on only such things (an export whose client half-closed its socket, a flush whose thread is
 * idle between messages) would otherwise let the event loop empty and the process end with code 0 before its later
 * steps ran. A ref'd timer holds the loop until one of the two exits.
 */
export function boundShutdown(signals: readonly NodeJS.Signals[], logger: Logger, boundMs = SHUTDOWN_BOUND_MS): void {
  for (const signal of signals) {
    process.once(signal, () => {
      const from = performance.now();
      logger.info({ signal, boundMs }, 'stopping: draining HTTP, then flushing');
      // The last line an operator reads: how the stop ended, and how long it took (the logger writes synchronously).
      process.once('exit', (code) => logger.info({ signal, code, ms: Math.round(performance.now() - from) }, 'stopped'));
      setTimeout(() => {
        logger.error({ signal, boundMs }, 'stop exceeded its bound: exiting 1');
        process.exit(1);
      }, boundMs);
    });
  }
}
