import { randomUUID } from 'node:crypto';
import type { DecisionRequest } from '@verdict/domain';

const MARK = '\u0000TXID\u0000';
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

type BodyParts = readonly [head: string, tail: string];

/**
 * How transaction ids are made: `numbered` (`<prefix>-<n>`, the default, comparable across sessions) reaches every
 * index keyed by them nearly in order; `random` (UUID v4, as many clients send) reaches them at random places, which
 * cost the engine 8–11 % of its throughput in one session's runs (docs/benchmarks.md).
 */
export type TransactionIds = 'numbered' | 'random';

/** What the bench's output adds after the seed when the ids are not the default. */
export const transactionIdsNote = (ids: TransactionIds | undefined): string => (ids === 'random' ? ', random transaction ids' : '');

/**
 * Pre-serialized request bodies, so building a request during the measured run is one string concatenation.
 * Bodies cycle through the pool but every request gets a fresh transaction id (`<prefix>-<n>`, or a UUID v4 with
 * `random` ids), so each one is a distinct transaction to the engine: no idempotent replays hide in the numbers.
 */
export class RequestPool {
  private issued = 0;

  private constructor(
    private readonly parts: readonly BodyParts[],
    readonly idPrefix: string,
    readonly ids: TransactionIds,
  ) {
    if (!ID_PATTERN.test(idPrefix)) throw new RangeError(`unusable transaction id prefix "${idPrefix}"`);
  }

  static fromRequests(requests: readonly DecisionRequest[], idPrefix: string, ids: TransactionIds = 'numbered'): RequestPool {
    if (requests.length === 0) throw new RangeError('the request pool needs at least one request');
    const parts = requests.map((r): BodyParts => {
      const [head, tail] = JSON.stringify({ ...r, transactionId: MARK }).split(JSON.stringify(MARK));
      return [`${head}"`, `"${tail}`];
    });
    return new RequestPool(parts, idPrefix, ids);
  }

  get size(): number {
    return this.parts.length;
  }

  /** How many bodies have been handed out. */
  get count(): number {
    return this.issued;
  }

  next(): { readonly transactionId: string; readonly body: string } {
    const n = this.issued++;
    const [head, tail] = this.parts[n % this.parts.length];
    const transactionId = this.ids === 'random' ? randomUUID() : `${this.idPrefix}-${n}`;
    return { transactionId, body: head + transactionId + tail };
  }

  /** The same bodies under another id sequence (one per phase, so no id repeats within a run). */
  withPrefix(idPrefix: string): RequestPool {
    return new RequestPool(this.parts, idPrefix, this.ids);
  }
}
