import type { AllSubscription, EventStore, RecordedEvent, SubscribeToAllOptions } from '@verdict/event-store/event-store.port';

/**
 * Test-only decorator over a real store whose subscriptions deliver at-least-once: every `every` events, the
 * last `every` are delivered again (as a reconnecting client or a broker redelivery would).
 */
export function duplicatingEventStore(inner: EventStore, every: number): EventStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'subscribeToAll') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (options?: SubscribeToAllOptions): AllSubscription => {
        const subscription = target.subscribeToAll(options);
        async function* redeliver(): AsyncGenerator<RecordedEvent> {
          let recent: RecordedEvent[] = [];
          for await (const event of subscription) {
            yield event;
            recent.push(event);
            if (recent.length === every) {
              yield* recent;
              recent = [];
            }
          }
        }
        const iterator = redeliver();
        return { [Symbol.asyncIterator]: () => iterator, close: () => subscription.close() };
      };
    },
  });
}
