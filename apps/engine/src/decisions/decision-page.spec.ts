import type { DecisionSummary } from '@verdict/read-models';
import { toDecisionPage } from './decision-page';

describe('toDecisionPage', () => {
  it("turns the read model's exact decimal positions into the API's numbers and keeps the rest", () => {
    const item = { decisionId: 'd-1', transactionId: 'tx-1', position: '120', outcome: 'approve' } as unknown as DecisionSummary;
    expect(toDecisionPage({ items: [item], nextCursor: 'MTIw' })).toEqual({
      items: [{ decisionId: 'd-1', transactionId: 'tx-1', position: 120, outcome: 'approve' }],
      nextCursor: 'MTIw',
    });
    expect(toDecisionPage({ items: [], nextCursor: null })).toEqual({ items: [], nextCursor: null });
  });
});
