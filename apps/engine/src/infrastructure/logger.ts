import pino, { type Logger } from 'pino';

/** JSON logs on stdout (pino); the level comes from LOG_LEVEL. */
export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, base: { service: name } });
}
