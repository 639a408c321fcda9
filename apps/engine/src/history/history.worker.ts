import { parentPort, workerData } from 'node:worker_threads';
import { applyToHistory, HistoryState, historyFeatureValues } from '@verdict/domain';
import { createEventStore, isEventStoreUnavailable, type AllSubscription, type EventStore } from '@verdict/event-store';
import type { FromHistoryThread, HistoryThreadData, ToHistoryThread } from './history-thread.protocol';

/**
 * The engine's history thread: holds the HistoryState (up to 1.3 GB for a million cards, off the main thread's heap),
 * applies the log's decisions to it strictly in log order from its own catch-up subscription, and answers the main
 * thread's asks for history features. An ask is answered between two events, so its values are always those of a
 * log prefix, and the reply says which (`asOf`): what a decision records as `featuresAsOf`.
 */
const port = parentPort!;
const data = workerData as HistoryThreadData;
const send = (m: FromHistoryThread) => port.postMessage(m);

const state = new HistoryState(data.maxEntities);
let store: EventStore | undefined;
let subscription: AllSubscription | undefined;
let reported = -1n;
let stopping = false;
/** Waits between attempts to subscribe again while the store is unreachable. */
const RETRY_MS = [250, 500, 1000, 2000] as const;

function report(): void {
  if (state.appliedThrough === reported) return;
  reported = state.appliedThrough;
  send({ type: 'applied', through: reported, cards: state.size('card') });
}

type ValuesAsk = Extract<ToHistoryThread, { type: 'values' }>;
/** The log's head when the thread started: asks wait until the state has applied the log through it. */
let startHead: bigint | undefined;
/**
 * Asks not answerable yet, in arrival order, with when each came: their `through` never decreases (the main thread's
 * last acknowledged commit only rises, across this thread's restarts too), so the first one not answerable holds the rest.
 */
const held: { readonly ask: ValuesAsk; readonly since: number }[] = [];
/** Set while the store cannot be read: asks are then answered from the state as it stands, as they cannot wait. */
let interrupted = false;
/** When the start-up catch-up ended: an ask's wait limit runs from then at the earliest. */
let caughtUpAt: number | undefined;
const caughtUp = (): boolean => {
  if (caughtUpAt !== undefined) return true;
  if (startHead === undefined || state.appliedThrough < startHead) return false;
  caughtUpAt = performance.now();
  return true;
};

function answer(m: ValuesAsk): void {
  try {
    const values = m.asks.map((ask) => historyFeatureValues(state, ask.request, ask.names));
    send({ type: 'values', id: m.id, asOf: state.appliedThrough, values });
  } catch (error) {
    send({ type: 'values-failed', id: m.id, message: (error as Error).message });
  }
}

/**
 * Whether an ask can be answered now. Never before the start-up catch-up is done: a decision would be scored on a
 * partial history (a restarted thread starts from nothing), so it waits as readiness does. After it, once the state
 * has applied the log through the ask's `through`, so a decision sees every decision this instance recorded before
 * it asked; unless that position is not reached within `waitLimitMs` (counted from the catch-up's end at the
 * earliest), or the store cannot be read.
 */
function answerable(m: { readonly ask: ValuesAsk; readonly since: number }, now: number): boolean {
  if (!caughtUp()) return false;
  if (state.appliedThrough >= m.ask.through || interrupted) return true;
  return now - Math.max(m.since, caughtUpAt as number) >= data.waitLimitMs;
}

/** Answers the held asks that can be answered, oldest first. */
function release(now = performance.now()): void {
  let n = 0;
  while (n < held.length && answerable(held[n], now)) answer(held[n++].ask);
  if (n > 0) held.splice(0, n);
}

port.on('message', (m: ToHistoryThread) => {
  if (m.type === 'stop') {
    void stop();
    return;
  }
  const entry = { ask: m, since: performance.now() };
  if (held.length === 0 && answerable(entry, entry.since)) return answer(m);
  held.push(entry);
  // This instance committed past what the state has read: read now, not at the subscription's next poll.
  store?.notifyAppended();
});

async function stop(): Promise<void> {
  stopping = true;
  clearInterval(reporter);
  await subscription?.close().catch(() => undefined);
  await store?.close().catch(() => undefined);
  send({ type: 'stopped' });
}

const reporter = setInterval(() => {
  report();
  release(); // asks that waited their limit
}, data.reportIntervalMs);

/** Applies one event; an event the state cannot read stops the thread (it never skips a decision). */
class UnreadableEvent extends Error {}
function apply(event: Parameters<typeof applyToHistory>[1]): void {
  try {
    applyToHistory(state, event);
  } catch (error) {
    throw new UnreadableEvent(`event at position ${event.position}: ${(error as Error).message}`);
  }
}

void (async () => {
  try {
    store = await createEventStore(data.eventStore, { readOnly: true }); // on SQLite: no writer thread of its own
    const head = await store.headPosition();
    startHead = head;
    // Every event, not only decisions: labels and erasures (SubjectErased) change the state too, and its position
    // then reaches the log's head even when the log ends in a seal or a deployment change, which is what readiness
    // waits for (applyToHistory skips those).
    subscription = store.subscribeToAll();
    send({ type: 'started', head });
    for (let attempt = 0; ; ) {
      try {
        release(); // an empty log: caught up from the start
        for await (const event of subscription) {
          apply(event);
          if (held.length > 0) release();
          attempt = 0;
        }
        return; // closed by stop()
      } catch (error) {
        if (stopping) return;
        if (error instanceof UnreadableEvent || !isEventStoreUnavailable(error)) throw error;
        // The store is unreachable: keep the state (a prefix of the log) and subscribe again after it.
        send({ type: 'interrupted', message: (error as Error).message });
        interrupted = true;
        release();
        for (;;) {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
          if (stopping) return;
          try {
            await store.headPosition();
            break;
          } catch (probe) {
            if (!isEventStoreUnavailable(probe)) throw probe;
          }
        }
        subscription = store.subscribeToAll({ after: state.appliedThrough });
        interrupted = false;
        send({ type: 'resumed' });
      }
    }
  } catch (error) {
    clearInterval(reporter);
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
})();
