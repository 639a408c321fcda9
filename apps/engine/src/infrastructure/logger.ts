import pino, { type Logger } from 'pino';

/**
 * JSON logs on stdout (pino); the level comes from LOG_LEVEL. Written synchronously, as Nest's own logger and
 * console.log write to a pipe or file: the engine logs a few lines (start, warnings, failures, the stop), and the
 * last lines before an exit are the ones an operator needs. pino's default stream writes asynchronously, so a line
 * logged just before `process.exit` could be written out of order or not at all.
 */
export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, base: { service: name } }, pino.destination({ fd: 1, sync: true }));
}
