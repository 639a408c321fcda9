import { batchLabelSchema, labelRequestSchema } from './label-request';
import { reviewLabelId } from '../reviews/review-events';

const label = (labelId: string) => ({ labelId, label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T10:00:00Z' });

describe('label requests', () => {
  it("refuse the review queue's label ids (review-…), whose event ids a resolution's label needs", () => {
    for (const labelId of [reviewLabelId('6f1c8a2e-3b7d-5e49-9a0c-4d2f6b8e1a37'), 'review-x']) {
      const single = labelRequestSchema.safeParse(label(labelId));
      expect(single.success).toBe(false);
      expect(single.error?.issues.map((i) => [i.path.join('/'), i.message])).toEqual([['labelId', expect.stringContaining('"review-"')]]);
      expect(batchLabelSchema.safeParse({ ...label(labelId), transactionId: 'tx-1' }).success).toBe(false);
    }
    for (const labelId of ['reviewed-1', 'Review-1', 'cb-review-1', 'review']) expect(labelRequestSchema.safeParse(label(labelId)).success).toBe(true);
  });
});
