import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Principal } from '@verdict/domain';
import { ProblemException } from '../http/problem.exception';
import { LOGGER } from '../infrastructure/tokens';
import { AccessLog } from './access-log';
import { KeyDirectory } from './key-directory';

/** A live subscription's deliveries are summed into one AccessRecorded per window of this length, and at its end. */
export const LIVE_ACCESS_WINDOW_MS = 60_000;

export interface LiveRead {
  readonly principal: Principal;
  readonly operation: string;
  readonly parameters: Record<string, unknown>;
  /** Whether what it delivers is decision data (then every delivery is counted in the access log). */
  readonly recordsDecisions: boolean;
}

/**
 * Keeps a GraphQL subscription to the rules of its caller for as long as it lives: before each delivery the caller's
 * key must still be in force (not revoked since the connection opened) and its token unexpired, or the subscription
 * ends with `unauthenticated`. Deliveries of decision data are counted into the access log, one record per window
 * (appended when the window closes or the subscription ends: a crash loses at most one window's count).
 */
@Injectable()
export class LiveAccess {
  constructor(
    private readonly keys: KeyDirectory,
    private readonly log: AccessLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  watch<T>(source: AsyncIterableIterator<T>, read: LiveRead): AsyncIterableIterator<T> {
    let delivered = 0;
    let windowStart = Date.now();
    const flush = async (): Promise<void> => {
      if (!read.recordsDecisions || delivered === 0) return;
      const records = delivered;
      delivered = 0;
      windowStart = Date.now();
      await this.log.record({ principal: read.principal, operation: read.operation, parameters: read.parameters, status: 200, records });
    };
    // The client left or the engine stops: release the feed at once, then record what was delivered. A failure to
    // record is logged loudly: the delivered records were already counted in the windows before, all but this one.
    const end = async (): Promise<IteratorResult<T>> => {
      const ended = (await source.return?.()) ?? { value: undefined, done: true as const };
      await flush().catch((error: unknown) => this.logger.error({ err: error, operation: read.operation, client: read.principal.client }, 'the access record of an ended subscription could not be appended'));
      return ended;
    };
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        const result = await source.next();
        if (result.done) {
          await flush();
          return result;
        }
        const refusal = this.refusal(read.principal);
        if (refusal) {
          await end();
          throw new ProblemException('unauthenticated', refusal);
        }
        delivered += 1;
        if (Date.now() - windowStart >= LIVE_ACCESS_WINDOW_MS) await flush();
        return result;
      },
      return: end,
      throw: async (error?: unknown) => {
        await flush();
        if (source.throw) return source.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private refusal(principal: Principal): string | null {
    if (principal.kind === 'api-key') {
      const key = this.keys.get(principal.keyId);
      return !key || key.revokedAt !== null ? 'The API key of this subscription has been revoked.' : null;
    }
    return principal.expiresAt !== undefined && principal.expiresAt <= Date.now() ? 'The token of this subscription has expired.' : null;
  }
}
