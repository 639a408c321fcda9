import type { TransactionLabelled } from '@verdict/domain';
import type { Label, LabelValue } from './decision.types';

export const toLabel = (l: TransactionLabelled): Label => ({
  labelId: l.labelId,
  label: l.label as LabelValue,
  source: l.source,
  reportedAt: new Date(l.reportedAt),
  amount: l.amount ?? null,
  note: l.note ?? null,
  recordedBy: l.recordedBy,
});
