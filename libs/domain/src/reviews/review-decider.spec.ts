import { DECISION_MADE } from '../decision-made.event';
import { TRANSACTION_LABELLED } from '../labels/transaction-labelled.event';
import { decisionIdFor } from '../deterministic-id';
import { decideClaim, decideResolution, isRefusal, reviewState, type StreamEvent } from './review-decider';
import { REVIEW_CLAIMED, REVIEW_RESOLVED, reviewLabelId, type ReviewClaimed, type ReviewResolved } from './review-events';

const tx = 'tx-review-1';
const decisionId = decisionIdFor(tx);
const decided = (outcome: string): StreamEvent => ({ type: DECISION_MADE, data: { schemaVersion: 1, decisionId, transactionId: tx, outcome } });
const t0 = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const claimed = (reviewer: string, at: Date, ttl = 60_000): StreamEvent => {
  const event = decideClaim(reviewState([decided('review')], at), reviewer, at, ttl) as ReviewClaimed;
  return { type: REVIEW_CLAIMED, data: event };
};

describe('review decider', () => {
  it('only decisions with outcome review are reviewed', () => {
    expect(reviewState([decided('approve')], t0)).toEqual({ kind: 'not-for-review' });
    expect(reviewState([], t0)).toEqual({ kind: 'not-for-review' });
    expect(decideClaim(reviewState([decided('decline')], t0), 'kim', t0, 1000)).toEqual({ refused: 'not-for-review' });
  });

  it('a claim holds until it expires, then the decision is open again', () => {
    const stream = [decided('review'), claimed('kim', t0)];
    expect(reviewState(stream, later(59_999))).toMatchObject({ kind: 'claimed', reviewer: 'kim', expiresAt: later(60_000).toISOString() });
    expect(reviewState(stream, later(60_000))).toEqual({ kind: 'open', decisionId, transactionId: tx });
    expect(decideClaim(reviewState(stream, later(1000)), 'lee', later(1000), 60_000)).toEqual({ refused: 'claimed-by-other', reviewer: 'kim', expiresAt: later(60_000).toISOString() });
    expect(decideClaim(reviewState(stream, later(60_000)), 'lee', later(60_000), 60_000)).toMatchObject({ reviewer: 'lee', expiresAt: later(120_000).toISOString() });
  });

  it('the holder renews a claim', () => {
    const renewed = decideClaim(reviewState([decided('review'), claimed('kim', t0)], later(30_000)), 'kim', later(30_000), 60_000);
    expect(renewed).toMatchObject({ reviewer: 'kim', claimedAt: later(30_000).toISOString(), expiresAt: later(90_000).toISOString() });
  });

  it('resolves once, by the holder or without a claim; never over another holder', () => {
    const claimedStream = [decided('review'), claimed('kim', t0)];
    expect(decideResolution(reviewState(claimedStream, later(1)), 'lee', 'fraud', undefined, later(1))).toMatchObject({ refused: 'claimed-by-other', reviewer: 'kim' });
    const resolved = decideResolution(reviewState(claimedStream, later(1)), 'kim', 'fraud', 'card in hand', later(1)) as ReviewResolved;
    expect(isRefusal(resolved)).toBe(false);
    expect(resolved).toEqual({ schemaVersion: 1, decisionId, transactionId: tx, reviewer: 'kim', resolution: 'fraud', note: 'card in hand', resolvedAt: later(1).toISOString(), labelId: reviewLabelId(decisionId) });
    const done = [...claimedStream, { type: REVIEW_RESOLVED, data: resolved }];
    expect(reviewState(done, later(2))).toMatchObject({ kind: 'resolved', resolved });
    expect(decideResolution(reviewState(done, later(2)), 'kim', 'legitimate', undefined, later(2))).toEqual({ refused: 'resolved', resolved });
    expect(decideClaim(reviewState(done, later(2)), 'kim', later(2), 1000)).toEqual({ refused: 'resolved', resolved });
    expect(decideResolution(reviewState([decided('review')], t0), 'lee', 'legitimate', undefined, t0)).toMatchObject({ reviewer: 'lee', resolution: 'legitimate' });
  });

  it("refuses a resolution whose label id another label holds (a client's, from before review- ids were reserved), claim or not", () => {
    const taken: StreamEvent = { type: TRANSACTION_LABELLED, data: { schemaVersion: 2, labelId: reviewLabelId(decisionId), transactionId: tx, decisionId, label: 'legitimate', source: 'manual', reportedAt: t0.toISOString(), recordedBy: 'admin/importer' } };
    const other: StreamEvent = { type: TRANSACTION_LABELLED, data: { schemaVersion: 2, labelId: 'cb-1', transactionId: tx, decisionId, label: 'fraud', source: 'chargeback', reportedAt: t0.toISOString(), recordedBy: 'admin/importer' } };
    const refusal = { refused: 'label-taken', recorded: expect.objectContaining({ labelId: reviewLabelId(decisionId), recordedBy: 'admin/importer', transactionId: tx }) };
    expect(decideResolution(reviewState([decided('review'), taken], t0), 'kim', 'fraud', undefined, t0)).toEqual(refusal);
    expect(decideResolution(reviewState([decided('review'), claimed('kim', t0), taken], later(1)), 'kim', 'fraud', undefined, later(1))).toEqual(refusal);
    // Another holder's claim is still what the caller hears first; other labels are no obstacle.
    expect(decideResolution(reviewState([decided('review'), taken, claimed('kim', t0)], later(1)), 'lee', 'fraud', undefined, later(1))).toMatchObject({ refused: 'claimed-by-other' });
    expect(isRefusal(decideResolution(reviewState([decided('review'), other], t0), 'kim', 'fraud', undefined, t0) as object)).toBe(false);
  });
});
