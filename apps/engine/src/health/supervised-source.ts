import type { Logger } from 'pino';
import type { SupervisedStatus } from '@verdict/config';

/** A part of the engine that runs supervised components (Supervisor, libs/config): liveness and metrics read them. */
export interface SupervisedSource {
  supervised(): readonly SupervisedStatus[];
}

/** One log line per supervision event: a death and a give-up are errors, a restart is news. */
export function logSupervision(log: Logger, event: 'died' | 'restarted' | 'gave-up', status: SupervisedStatus, error?: Error): void {
  const fields = { component: status.component, restarts: status.restarts, attempts: status.attempts, ...(error ? { err: error } : {}) };
  if (event === 'died') log.error(fields, `${status.component} died; restarting it`);
  else if (event === 'gave-up') log.error(fields, `${status.component} could not be restarted; liveness now fails`);
  else log.info(fields, `${status.component} restarted`);
}
