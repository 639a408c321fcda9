import type { Logger } from 'pino';
import type { SupervisedStatus, SupervisionEvent } from '@verdict/config';

/** A part of the engine that runs supervised components (Supervisor, libs/config): liveness and metrics read them. */
export interface SupervisedSource {
  supervised(): readonly SupervisedStatus[];
}

const MESSAGES: Record<SupervisionEvent, string> = {
  died: 'died; restarting it',
  'gave-up': 'could not be restarted; liveness now fails',
  'close-failed': 'could not be closed cleanly',
  restarted: 'restarted',
};

/** One log line per supervision event: a restart is news, everything else an error. */
export function logSupervision(log: Logger, event: SupervisionEvent, status: SupervisedStatus, error?: Error): void {
  const fields = { component: status.component, restarts: status.restarts, attempts: status.attempts, ...(error ? { err: error } : {}) };
  if (event === 'restarted') log.info(fields, `${status.component} ${MESSAGES[event]}`);
  else log.error(fields, `${status.component} ${MESSAGES[event]}`);
}
