import type { Writable } from 'node:stream';

/** Where a command writes; injected so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Whether stderr is an interactive terminal (progress bars only make sense there). */
  readonly stderrIsTty: boolean;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, stderrIsTty: process.stderr.isTTY === true });

export class CliUsageError extends Error {
  readonly code = 'SIMULATE_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
