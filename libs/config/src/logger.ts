import pino, { type Logger } from 'pino';

/**
 * JSON log lines on stdout (pino), for the engine and the projector; the level comes from LOG_LEVEL. Through
 * `process.stdout`, as console.log writes: a line is written to the pipe or file when it is logged, in order, and
 * queued (without blocking the event loop) only while a pipe is full. pino's default stream writes later, from
 * libuv's thread pool, so the lines logged just before `process.exit` (a stop's last ones) could be written out of
 * order or not at all; its synchronous mode would instead stall the event loop while a log reader is slow.
 */
export function createLogger(level: string, name: string): Logger {
  survivePipeClosed();
  return pino({ name, level, base: { service: name } }, process.stdout);
}

let guarded = false;

/**
 * A log reader that went away (EPIPE) ends the logs, not the process, as pino's own stream has it: without a
 * listener, the stream's 'error' would be thrown at the next line logged. Nest's logger writes to the same stream.
 */
function survivePipeClosed(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
