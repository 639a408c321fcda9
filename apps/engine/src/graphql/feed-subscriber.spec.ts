import type { DecisionNode } from './decision-node';
import { FeedSubscriber, SubscriberFellBehindError } from './feed-subscriber';

const decision = (n: number) => ({ decisionId: `d-${n}`, score: n / 10 }) as unknown as DecisionNode;

describe('FeedSubscriber', () => {
  it('hands over the decisions that pass its filter, in order, whether the client waits or reads later', async () => {
    const sub = new FeedSubscriber<DecisionNode>((d) => d.score >= 0.2, () => undefined);
    const waiting = sub.next();
    sub.offer(decision(3));
    expect(await waiting).toEqual({ done: false, value: decision(3) });
    for (const n of [1, 4, 5]) sub.offer(decision(n));
    expect(await sub.next()).toEqual({ done: false, value: decision(4) });
    expect(await sub.next()).toEqual({ done: false, value: decision(5) });
  });

  it('ends with an error after what is queued, reports it once, and tells its feed once', async () => {
    const ended: FeedSubscriber<DecisionNode>[] = [];
    const sub = new FeedSubscriber<DecisionNode>(() => true, (s) => ended.push(s));
    sub.offer(decision(1));
    const failure = new Error('store down');
    sub.end(failure);
    sub.end();
    sub.offer(decision(2));
    expect(await sub.next()).toEqual({ done: false, value: decision(1) });
    await expect(sub.next()).rejects.toBe(failure);
    expect(await sub.next()).toEqual({ done: true, value: undefined });
    expect(ended).toEqual([sub]);
  });

  it('rejects a waiting read at once when it ends with an error', async () => {
    const sub = new FeedSubscriber<DecisionNode>(() => true, () => undefined);
    const waiting = sub.next();
    const failure = new Error('store down');
    sub.end(failure);
    await expect(waiting).rejects.toBe(failure);
    expect(await sub.next()).toEqual({ done: true, value: undefined });
  });

  it('ends a client that stopped reading once `limit` decisions wait, instead of queueing without bound', async () => {
    const sub = new FeedSubscriber<DecisionNode>(() => true, () => undefined, 3);
    for (let n = 0; n < 10; n++) sub.offer(decision(n));
    for (let n = 0; n < 3; n++) expect(await sub.next()).toEqual({ done: false, value: decision(n) });
    await expect(sub.next()).rejects.toBeInstanceOf(SubscriberFellBehindError);
    expect(await sub.next()).toEqual({ done: true, value: undefined });
  });

  it('return() (the client left) drops what is queued and resolves a waiting read as done', async () => {
    const ended: FeedSubscriber<DecisionNode>[] = [];
    const sub = new FeedSubscriber<DecisionNode>(() => true, (s) => ended.push(s));
    sub.offer(decision(1));
    expect(await sub.return()).toEqual({ done: true, value: undefined });
    expect(await sub.next()).toEqual({ done: true, value: undefined });
    expect(ended).toEqual([sub]);

    const other = new FeedSubscriber<DecisionNode>(() => true, () => undefined);
    const waiting = other.next();
    await other.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });
});
