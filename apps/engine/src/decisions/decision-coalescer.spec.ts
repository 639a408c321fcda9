import type { Principal } from '@verdict/domain';
import { callerContext, currentCaller } from '../access/caller-context';
import { DecisionCoalescer, MAX_COALESCED } from './decision-coalescer';
import type { DecisionItem, DecisionOutcome, DecisionRecorder } from './decision-recorder';

/** The calls the coalescer makes, with the caller each one runs under. */
function recordingRecorder(fail?: (items: readonly DecisionItem[]) => Error | undefined) {
  const calls: { caller: string | undefined; transactions: string[] }[] = [];
  const recorder = {
    record: async (items: readonly DecisionItem[]): Promise<DecisionOutcome[]> => {
      calls.push({ caller: currentCaller()?.client, transactions: items.map((i) => i.request.transactionId) });
      await new Promise((r) => setImmediate(r));
      const error = fail?.(items);
      if (error) throw error;
      return items.map((i) => ({ created: true, event: { transactionId: i.request.transactionId }, position: 1n, appendMs: 0 }) as unknown as DecisionOutcome);
    },
  };
  return { calls, recorder: recorder as unknown as DecisionRecorder };
}

const item = (tx: string): DecisionItem => ({ request: { transactionId: tx } } as unknown as DecisionItem);
const principal = (client: string): Principal => ({ client, keyId: `k-${client}`, kind: 'api-key', roles: ['decide'] }) as unknown as Principal;

describe('DecisionCoalescer', () => {
  it('decides the requests of one turn in one call per caller, each under its own caller, each with its own outcome', async () => {
    const { calls, recorder } = recordingRecorder();
    const coalescer = new DecisionCoalescer(recorder);
    const a = principal('a');
    const b = principal('b');
    const asked = ['1', '2', '3', '4', '5'].map((tx, i) => {
      const who = i % 2 === 0 ? a : b;
      return callerContext.run(who, () => coalescer.decide(item(`tx-${tx}`)));
    });
    const outcomes = await Promise.all(asked);
    expect(outcomes.map((o) => (o as { event: { transactionId: string } }).event.transactionId)).toEqual(['tx-1', 'tx-2', 'tx-3', 'tx-4', 'tx-5']);
    expect(calls).toEqual([
      { caller: 'a', transactions: ['tx-1', 'tx-3', 'tx-5'] },
      { caller: 'b', transactions: ['tx-2', 'tx-4'] },
    ]);
    // A later turn is a call of its own, and a request without a caller runs under none.
    await coalescer.decide(item('tx-6'));
    expect(calls[2]).toEqual({ caller: undefined, transactions: ['tx-6'] });
  });

  it('splits a crowd into calls of at most MAX_COALESCED, and fails only the requests of a failing call', async () => {
    const { calls, recorder } = recordingRecorder((items) => (items.some((i) => i.request.transactionId === 'tx-0') ? new Error('store down') : undefined));
    const coalescer = new DecisionCoalescer(recorder);
    const settled = await Promise.allSettled(Array.from({ length: MAX_COALESCED + 3 }, (_, i) => coalescer.decide(item(`tx-${i}`))));
    expect(calls.map((c) => c.transactions.length)).toEqual([MAX_COALESCED, 3]);
    expect(settled.slice(0, MAX_COALESCED).every((s) => s.status === 'rejected' && (s.reason as Error).message === 'store down')).toBe(true);
    expect(settled.slice(MAX_COALESCED).every((s) => s.status === 'fulfilled')).toBe(true);
  });
});
