import pino, { type Logger } from 'pino';

/**
 * JSON log lines on stdout (pino), for the engine and the projector; the level comes from LOG_LEVEL. Through
 * `process.stdout`, as console.log writes: to a pipe, a line is written when it is logged, in order, and queued
 * (without blocking the event loop) only while the pipe is full; to a file or a terminal, Node writes it at once and
 * blocks until done. pino's default stream writes later, from libuv's thread pool, so the lines logged just before
 * `process.exit` (a stop's last ones) could be written out of order or not at all; its synchronous mode would stall
 * the event loop while a pipe's reader is slow.
 */
export function createLogger(level: string, name: string): Logger {
  survivePipeClosed();
  return pino({ name, level, base: { service: name } }, process.stdout);
}

/** Marks a stream as guarded; on the stream itself, as Jest loads this module afresh in every test file. */
const GUARDED = Symbol.for('verdict.survivePipeClosed');

/**
 * A log reader that went away (EPIPE) ends the logs, not the process, as pino's own stream had it: without a
 * listener, the stream's 'error' is thrown at the next line written. stderr too: Nest's logger writes its errors
 * there, console.error and Node's warnings as well, and a reader that goes away usually closes both.
 */
function survivePipeClosed(): void {
  for (const stream of [process.stdout, process.stderr] as Array<NodeJS.WriteStream & { [GUARDED]?: true }>) {
    if (stream[GUARDED]) continue;
    stream[GUARDED] = true;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
