import { callerMetadata } from '@verdict/domain';
import type { AppendOptions, AppendResult, EventData, EventStore, StreamAppend } from '@verdict/event-store';
import { currentCaller } from './caller-context';

/**
 * The event store as the engine's services see it: every event appended on a caller's behalf carries
 * `metadata.caller` = { client, keyId, kind }, whichever service appends it (a decision, a deployment change, a
 * label, a key revocation). One home for "who asked for this", instead of threading the caller through every command.
 * Reads and everything else pass straight through.
 */
export function stampCallers(store: EventStore): EventStore {
  const stamp = (events: readonly EventData[]): readonly EventData[] => {
    const caller = currentCaller();
    if (!caller) return events;
    const meta = callerMetadata(caller);
    return events.map((e) => ({ ...e, metadata: { ...e.metadata, caller: meta } }));
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'appendToStream') {
        return (streamId: string, events: readonly EventData[], options: AppendOptions): Promise<AppendResult> => target.appendToStream(streamId, stamp(events), options);
      }
      if (property === 'appendBatch') {
        return (appends: readonly StreamAppend[]) => target.appendBatch(appends.map((a) => ({ ...a, events: stamp(a.events) })));
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
