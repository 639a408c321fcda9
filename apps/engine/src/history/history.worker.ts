import { parentPort, workerData } from 'node:worker_threads';
import { applyToHistory, DECISION_MADE, HistoryState, historyFeatureValues } from '@verdict/domain';
import { createEventStore, type AllSubscription, type EventStore } from '@verdict/event-store';
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

function report(): void {
  if (state.appliedThrough === reported) return;
  reported = state.appliedThrough;
  send({ type: 'applied', through: reported, cards: state.size('card') });
}

port.on('message', (m: ToHistoryThread) => {
  if (m.type === 'appended') store?.notifyAppended();
  else if (m.type === 'stop') void stop();
  else {
    try {
      const values = m.asks.map((ask) => historyFeatureValues(state, ask.request, ask.names));
      send({ type: 'values', id: m.id, asOf: state.appliedThrough, values });
    } catch (error) {
      send({ type: 'values-failed', id: m.id, message: (error as Error).message });
    }
  }
});

async function stop(): Promise<void> {
  clearInterval(reporter);
  await subscription?.close().catch(() => undefined);
  await store?.close().catch(() => undefined);
  send({ type: 'stopped' });
}

const reporter = setInterval(report, data.reportIntervalMs);

void (async () => {
  try {
    store = await createEventStore(data.eventStore);
    const head = await store.headPosition();
    subscription = store.subscribeToAll({ filter: { eventTypePrefixes: [DECISION_MADE] } });
    send({ type: 'started', head });
    for await (const event of subscription) applyToHistory(state, event);
  } catch (error) {
    clearInterval(reporter);
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
})();
