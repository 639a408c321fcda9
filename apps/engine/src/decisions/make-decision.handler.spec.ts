import { performance } from 'node:perf_hooks';
import type { DecisionRequest } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { DecisionMetrics } from '../metrics/decision-metrics';
import { DecisionCoalescer } from './decision-coalescer';
import { DecisionRecorder } from './decision-recorder';
import { DecisionScorer } from './decision-scorer';
import { IdempotencyConflictError } from './idempotency-conflict.error';
import { MakeDecisionCommand } from './make-decision.command';
import { MakeDecisionHandler } from './make-decision.handler';
import { NO_HISTORY } from '../history/testing/no-history';
import { cardRequest, openDecisionPathParts, type DecisionPathParts } from './testing/decision-path-parts';

/** The command handler on real parts: the SQLite event store and the committed ONNX model. */
describe('MakeDecisionHandler', () => {
  let parts: DecisionPathParts;
  let store: EventStore;
  let deployment: DecisionPathParts['deployment'];
  let handler: MakeDecisionHandler;

  beforeAll(async () => {
    parts = await openDecisionPathParts('verdict-handler-');
    ({ store, deployment } = parts);
    const recorder = new DecisionRecorder(store, new DecisionScorer(deployment.runtime, NO_HISTORY), new DecisionMetrics(), parts.personal);
    handler = new MakeDecisionHandler(recorder, new DecisionCoalescer(recorder));
  });
  afterAll(() => parts.close());

  const request = cardRequest('card-h', 'm-h');
  const run = (r: DecisionRequest) => handler.execute(new MakeDecisionCommand(r, 'corr-1', performance.now()));

  it('records a new decision once and answers retries with it', async () => {
    const first = await run(request('h-1'));
    expect(first.created).toBe(true);
    const retry = await run(request('h-1'));
    expect(retry).toMatchObject({ created: false, position: first.position });
    expect(retry.event).toEqual(first.event);
    expect(await store.readStream('decision-h-1')).toHaveLength(1);
  });

  it('answers each concurrent request for its own body, even when the attempt it joined conflicts', async () => {
    await run(request('h-2', 25));
    // A different body arrives first and is in flight when the genuine retry arrives.
    const [conflicting, genuine] = await Promise.allSettled([run(request('h-2', 999)), run(request('h-2', 25))]);
    expect(conflicting.status).toBe('rejected');
    expect((conflicting as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    expect(genuine).toMatchObject({ status: 'fulfilled', value: { created: false } });
  });

  it('shares one attempt between concurrent identical requests', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => run(request('h-3'))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.decidedAt)).size).toBe(1);
    expect(await store.readStream('decision-h-3')).toHaveLength(1);
  });

  it('decides requests that arrive together in one scoring and one append, each with its own outcome', async () => {
    await run(request('h-4', 25));
    const runs: number[] = [];
    const score = deployment.runtime.require().champion.model.runtime.score.bind(deployment.runtime.require().champion.model.runtime);
    const runtime = deployment.runtime.require().champion.model.runtime as { score: typeof score };
    runtime.score = (values, rows) => {
      runs.push(rows);
      return score(values, rows);
    };
    try {
      const fresh = Array.from({ length: 8 }, (_, i) => run(request(`h-5-${i}`, 10 + i)));
      const [retry, conflict] = await Promise.allSettled([run(request('h-4', 25)), run(request('h-4', 26))]);
      const decided = await Promise.all(fresh);
      expect(runs).toHaveLength(1); // all ten in one model run (a decided transaction is found at its append)
      expect(decided.every((d) => d.created)).toBe(true);
      expect(new Set(decided.map((d) => d.event.decidedAt)).size).toBe(1);
      expect(decided.map((d) => d.event.transactionId)).toEqual(Array.from({ length: 8 }, (_, i) => `h-5-${i}`));
      expect(retry).toMatchObject({ status: 'fulfilled', value: { created: false } });
      expect((conflict as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
      for (const d of decided) expect(await store.readStream(`decision-${d.event.transactionId}`)).toHaveLength(1);
    } finally {
      runtime.score = score;
    }
  });
});
