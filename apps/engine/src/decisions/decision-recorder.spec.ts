import { performance } from 'node:perf_hooks';
import type { DecisionRequest } from '@verdict/domain';
import { InvalidAppendError, type EventStore, type StreamAppend } from '@verdict/event-store';
import { NO_HISTORY } from '../history/testing/no-history';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { DecisionRecorder, type DecisionOutcome } from './decision-recorder';
import { DecisionScorer, type ScoringItem } from './decision-scorer';
import type { MakeDecisionResult } from './make-decision.command';
import { cardRequest, openDecisionPathParts, type DecisionPathParts } from './testing/decision-path-parts';

/**
 * Failures of one item in a call of many (as coalesced single requests and batch items are): real SQLite store and
 * ONNX model; the failures themselves are injected at the scorer's and the store's edge.
 */
describe('DecisionRecorder, one item failing among many', () => {
  let parts: DecisionPathParts;
  let store: EventStore;
  let recorder: DecisionRecorder;
  /** Amounts whose scoring fails, as feature code that cannot build a row would. */
  const unscorable = new Set<number>();
  /** Streams whose append the store refuses, as PostgreSQL refuses a value jsonb cannot hold. */
  const refused = new Set<string>();

  beforeAll(async () => {
    parts = await openDecisionPathParts('verdict-recorder-');
    store = parts.store;
    const scorer = new DecisionScorer(parts.deployment.runtime, NO_HISTORY);
    const scoring = {
      scoreAll: async (items: readonly ScoringItem[]) =>
        (await scorer.scoreAll(items)).map((o, i) => (unscorable.has((items[i] as ScoringItem).request.amount) ? new Error('cannot build this row') : o)),
    } as unknown as DecisionScorer;
    const refusing = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'appendBatch') return Reflect.get(target, property, receiver) as unknown;
        return async (appends: readonly StreamAppend[]) => {
          const kept = appends.filter((a) => !refused.has(a.streamId));
          const results = await target.appendBatch(kept);
          let k = 0;
          return appends.map((a) => (refused.has(a.streamId) ? new InvalidAppendError(`${a.streamId}: refused`) : results[k++]));
        };
      },
    });
    recorder = new DecisionRecorder(refusing, scoring, new DecisionMetrics(), parts.personal);
  });
  afterAll(() => parts.close());

  const request = cardRequest('card-r', 'm-r');
  const record = (requests: DecisionRequest[]) => recorder.record(requests.map((r) => recorder.item(r, 'corr-r', performance.now())));
  const created = (o: DecisionOutcome | undefined) => !(o instanceof Error) && (o as MakeDecisionResult).created;

  it('answers a later request for the same transaction for its own body when the first body could not be scored', async () => {
    unscorable.add(666);
    try {
      const [bad, good] = await record([request('r-1', 666), request('r-1', 25)]);
      expect(bad).toBeInstanceOf(Error);
      expect(created(good)).toBe(true);
      expect(await store.readStream('decision-r-1')).toHaveLength(1);
    } finally {
      unscorable.clear();
    }
  });

  it('fails only the item whose append the store refuses; the others are recorded and answered', async () => {
    refused.add('decision-r-2');
    try {
      const outcomes = await record([request('r-2'), request('r-3'), request('r-4')]);
      expect(outcomes[0]).toBeInstanceOf(InvalidAppendError);
      expect(outcomes.slice(1).map(created)).toEqual([true, true]);
      expect(await store.readStream('decision-r-3')).toHaveLength(1);
    } finally {
      refused.clear();
    }
    // Nothing was recorded for the refused one: asked again, it is decided then.
    const [again] = await record([request('r-2')]);
    expect(created(again)).toBe(true);
  });
});
