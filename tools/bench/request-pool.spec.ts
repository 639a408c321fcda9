import { validateDecisionRequest, type DecisionRequest } from '@verdict/domain';
import { RequestPool } from './request-pool';
import { simulatedRequests } from './simulated-requests';

describe('RequestPool', () => {
  const requests = simulatedRequests(11, 50);

  it('hands out valid bodies of the simulated transactions, each under a fresh transaction id', () => {
    const pool = RequestPool.fromRequests(requests, 'bench-t');
    const ids = new Set<string>();
    for (let n = 0; n < 3 * requests.length; n++) {
      const { transactionId, body } = pool.next();
      const parsed = JSON.parse(body) as DecisionRequest;
      expect(validateDecisionRequest(parsed)).toEqual({ ok: true, value: parsed });
      expect(parsed.transactionId).toBe(transactionId);
      expect({ ...parsed, transactionId: 'x' }).toEqual({ ...requests[n % requests.length], transactionId: 'x' });
      ids.add(transactionId);
    }
    expect(ids.size).toBe(3 * requests.length);
    expect(pool.count).toBe(3 * requests.length);
  });

  it('gives each phase its own id sequence over the same bodies', () => {
    const pool = RequestPool.fromRequests(requests, 'bench-t');
    const a = pool.withPrefix('bench-t-a');
    const b = pool.withPrefix('bench-t-b');
    const fromA = a.next();
    const fromB = b.next();
    expect(fromA.transactionId).not.toBe(fromB.transactionId);
    expect(fromA.body.replace(fromA.transactionId, '')).toBe(fromB.body.replace(fromB.transactionId, ''));
    expect(pool.count).toBe(0);
  });

  it('makes random transaction ids (UUID v4) when asked, in every phase', () => {
    const pool = RequestPool.fromRequests(requests, 'bench-t', 'random');
    const ids = new Set<string>();
    for (const phase of [pool, pool.withPrefix('bench-t-a')]) {
      for (let n = 0; n < requests.length; n++) {
        const { transactionId, body } = phase.next();
        expect(transactionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const parsed = JSON.parse(body) as DecisionRequest;
        expect(validateDecisionRequest(parsed)).toEqual({ ok: true, value: parsed });
        expect(parsed.transactionId).toBe(transactionId);
        ids.add(transactionId);
      }
    }
    expect(ids.size).toBe(2 * requests.length);
  });

  it('keeps quotes and escapes in the surrounding body intact', () => {
    const tricky = { ...requests[0], attributes: { note: 'say "hi" \\ bye', n: 1 } };
    const { body } = RequestPool.fromRequests([tricky], 'p').next();
    expect(JSON.parse(body)).toEqual({ ...tricky, transactionId: 'p-0' });
  });

  it('refuses an empty pool and an id prefix the engine would reject', () => {
    expect(() => RequestPool.fromRequests([], 'p')).toThrow(RangeError);
    expect(() => RequestPool.fromRequests(requests, 'bad prefix')).toThrow(RangeError);
  });
});
