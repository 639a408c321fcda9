/**
 * "Something changed, look now" from one thread to another, with at most one hint in flight. Waking a thread costs
 * the sender a postMessage (and, on a busy machine, its core for a moment); a thread that has not yet taken the last
 * hint will read everything new when it does, so a second hint would only wake it twice for the same work.
 *
 * The flag is shared memory: the sender sets it and posts only if it was clear; the receiver clears it BEFORE it
 * reads. A change made after the clear sees the flag clear and posts again, so none goes unread.
 */
export class WakeHintSender {
  /** `flag`: from newWakeHintFlag(), also given to the receiving thread (in its workerData: shared, not copied). */
  constructor(
    readonly flag: Int32Array,
    private readonly post: () => void,
  ) {}

  hint(): void {
    if (Atomics.exchange(this.flag, 0, 1) === 0) this.post();
  }
}

/** A clear flag in shared memory, for one sender and one receiving thread. */
export const newWakeHintFlag = (): Int32Array => new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

/** The receiving thread took the hint: call before reading, so a change after this point is hinted again. */
export function wakeHintTaken(flag: Int32Array): void {
  Atomics.store(flag, 0, 0);
}
