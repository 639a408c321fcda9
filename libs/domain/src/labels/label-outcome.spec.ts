import { labelAsOf, labelOutcome } from './label-outcome';
import { upcastTransactionLabelled, type TransactionLabelled } from './transaction-labelled.event';

const label = (labelId: string, reportedAt: string, value: 'fraud' | 'legitimate' = 'fraud'): TransactionLabelled => ({
  schemaVersion: 2,
  merchantId: 'term-1',
  labelId,
  transactionId: 'tx-1',
  decisionId: 'd-1',
  label: value,
  source: 'chargeback',
  reportedAt,
  recordedBy: 'test',
});

describe('labels', () => {
  it('the same labelId is a repeat when its content is the same (whatever the offset of reportedAt), else a conflict', () => {
    const recorded = [label('a', '2026-12-01T10:00:00.000Z')];
    expect(labelOutcome({ labelId: 'b', label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T10:00:00Z' }, recorded)).toEqual({ kind: 'new' });
    expect(labelOutcome({ labelId: 'a', label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T11:00:00+01:00' }, recorded)).toEqual({ kind: 'repeat', existing: recorded[0] });
    expect(labelOutcome({ labelId: 'a', label: 'legitimate', source: 'chargeback', reportedAt: '2026-12-01T10:00:00Z' }, recorded).kind).toBe('conflict');
    expect(labelOutcome({ labelId: 'a', label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T10:00:00Z', note: 'x' }, recorded).kind).toBe('conflict');
  });

  it('as of T, the label in force is the latest reported at or before T; later ones do not count yet', () => {
    const labels = [label('a', '2026-12-01T10:00:00.000Z', 'fraud'), label('b', '2026-12-05T10:00:00.000Z', 'legitimate')];
    expect(labelAsOf(labels, new Date('2026-11-30T00:00:00Z'))).toBeNull();
    expect(labelAsOf(labels, new Date('2026-12-01T10:00:00Z'))?.labelId).toBe('a');
    expect(labelAsOf(labels, new Date('2026-12-04T00:00:00Z'))?.label).toBe('fraud');
    expect(labelAsOf(labels, new Date('2026-12-06T00:00:00Z'))?.label).toBe('legitimate');
    // Reported at the same instant: the later in the stream wins.
    expect(labelAsOf([...labels, label('c', '2026-12-05T10:00:00.000Z', 'fraud')], new Date('2026-12-06T00:00:00Z'))?.labelId).toBe('c');
  });

  it('reads labels written before the schema, taking the ids from the stream, and version 1 without a terminal', () => {
    const old = upcastTransactionLabelled({ labelId: 'x', label: 'fraud', source: 'chargeback', reportedAt: '2026-12-01T10:00:00.000Z' }, 'tx-9');
    expect(old).toMatchObject({ schemaVersion: 2, transactionId: 'tx-9', recordedBy: 'unknown' });
    expect(old.merchantId).toBeUndefined();
    const v1 = { schemaVersion: 1, labelId: 'y', transactionId: 'tx-9', decisionId: 'd', label: 'fraud', source: 'review', reportedAt: '2026-12-01T10:00:00.000Z', recordedBy: 'kim' };
    expect(upcastTransactionLabelled(v1, 'tx-9')).toEqual({ ...v1, schemaVersion: 2 });
    expect(() => upcastTransactionLabelled({ schemaVersion: 3 }, 'tx-9')).toThrow(RangeError);
  });
});
