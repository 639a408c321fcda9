import { InvalidAppendError } from '../event-store.errors';
import type { AppendResult, StreamAppend } from '../event-store.port';

/**
 * appendBatch for the group-committing stores: each append is validated on its own (an invalid one is its own
 * InvalidAppendError outcome and is never sent), the valid ones are committed as one group, and the outcomes come
 * back in the order of `appends`.
 */
export async function commitValidated<V>(
  appends: readonly StreamAppend[],
  validate: (append: StreamAppend) => V,
  commitGroup: (valid: V[]) => Promise<Array<AppendResult | Error>>,
): Promise<ReadonlyArray<AppendResult | Error>> {
  const outcomes: Array<AppendResult | Error> = new Array(appends.length);
  const valid: V[] = [];
  const slots: number[] = [];
  appends.forEach((append, i) => {
    try {
      valid.push(validate(append));
      slots.push(i);
    } catch (error) {
      if (!(error instanceof InvalidAppendError)) throw error;
      outcomes[i] = error;
    }
  });
  if (valid.length > 0) {
    const committed = await commitGroup(valid);
    committed.forEach((outcome, k) => (outcomes[slots[k] as number] = outcome));
  }
  return outcomes;
}
