import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from 'pino';

export interface RebuildProgress {
  update(checkpoint: bigint, events: number): void;
  stop(): void;
}

const LOG_EVERY_MS = 5_000;

/**
 * Progress of a rebuild against the log's head position: a bar on an interactive terminal, otherwise an info line
 * every few seconds (so a rebuild in a container's log shows it is alive and how far it got).
 */
export function rebuildProgress(head: bigint, logger: Logger, interactive = Boolean(process.stderr.isTTY)): RebuildProgress {
  const total = Number(head);
  if (interactive && total > 0) {
    const bar = new SingleBar({ format: 'rebuild [{bar}] {percentage}% | position {value}/{total} | {events} events | eta {eta_formatted}', stream: process.stderr }, Presets.shades_classic);
    bar.start(total, 0, { events: 0 });
    return {
      update: (checkpoint, events) => bar.update(Math.min(Number(checkpoint), total), { events }),
      stop: () => bar.stop(),
    };
  }
  let lastLog = Date.now();
  return {
    update(checkpoint, events) {
      if (Date.now() - lastLog < LOG_EVERY_MS) return;
      lastLog = Date.now();
      logger.info({ checkpoint: String(checkpoint), head: String(head), events }, 'rebuilding');
    },
    stop: () => undefined,
  };
}
