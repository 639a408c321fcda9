import type { EventData, EventStore, RecordedEvent } from '../../event-store.port';
import { newEvent, newEvents, settle, strictlyIncreasing, take, uniquePrefix } from '../event-store-test-kit';

const ids = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

export function subscriptionContract(store: () => EventStore): void {
  describe('subscribeToAll', () => {
    it('catches up on stored events, then delivers live ones', async () => {
      const p = uniquePrefix('live');
      const stored = newEvents(3);
      await store().appendToStream(`${p}-a`, stored, { expectedRevision: 'no_stream' });
      const sub = store().subscribeToAll({ filter: { streamPrefixes: [p] } });
      try {
        expect(ids(await take(sub, 3))).toEqual(ids(stored));
        const live = [newEvent(), newEvent()];
        await store().appendToStream(`${p}-b`, [live[0]], { expectedRevision: 'no_stream' });
        await store().appendToStream(`${p}-a`, [live[1]], { expectedRevision: 2n });
        const got = await take(sub, 2);
        expect(ids(got)).toEqual(ids(live));
        expect(got.map((e) => [e.streamId, e.revision])).toEqual([
          [`${p}-b`, 0n],
          [`${p}-a`, 3n],
        ]);
      } finally {
        await sub.close();
      }
    });

    it('catches up over more events than any reasonable page, without gaps or repeats', async () => {
      const p = uniquePrefix('bulk');
      for (let i = 0; i < 10; i++) {
        await store().appendToStream(p, newEvents(260), { expectedRevision: i === 0 ? 'no_stream' : BigInt(i * 260 - 1) });
      }
      const sub = store().subscribeToAll({ filter: { streamPrefixes: [p] } });
      try {
        const got = await take(sub, 2600);
        expect(got.map((e) => e.revision)).toEqual(Array.from({ length: 2600 }, (_, i) => BigInt(i)));
        expect(strictlyIncreasing(got.map((e) => e.position))).toBe(true);
      } finally {
        await sub.close();
      }
    });

    it("lets its thread's event loop run while it catches up", async () => {
      // A consumer that awaits only promises (a projection's batches, the history thread) must not hold its thread
      // for the whole backlog: messages, timers and readiness reports wait for the loop, and so does garbage that
      // something pending on the loop's next turn still references.
      const p = uniquePrefix('turns');
      for (let i = 0; i < 6; i++) {
        await store().appendToStream(p, newEvents(500), { expectedRevision: i === 0 ? 'no_stream' : BigInt(i * 500 - 1) });
      }
      const sub = store().subscribeToAll({ filter: { streamPrefixes: [p] } });
      let consumed = 0;
      let atLastTurn = 0;
      let mostBetweenTurns = 0;
      let turning = true;
      // Every turn of the loop notes how many events were consumed since the previous one.
      const onTurn = (): void => {
        mostBetweenTurns = Math.max(mostBetweenTurns, consumed - atLastTurn);
        atLastTurn = consumed;
        if (turning) setImmediate(onTurn);
      };
      try {
        setImmediate(onTurn);
        for await (const event of sub) {
          expect(event.revision).toBe(BigInt(consumed));
          if (++consumed === 3000) break;
        }
        mostBetweenTurns = Math.max(mostBetweenTurns, consumed - atLastTurn);
        // A page or two between turns at most, never the whole backlog.
        expect(mostBetweenTurns).toBeLessThanOrEqual(1000);
      } finally {
        turning = false;
        await sub.close();
      }
    });

    it('starts after a checkpoint (exclusive)', async () => {
      const p = uniquePrefix('checkpoint');
      const events = newEvents(4);
      await store().appendToStream(p, events, { expectedRevision: 'no_stream' });
      const [, second] = await store().readStream(p);
      const sub = store().subscribeToAll({ after: second.position, filter: { streamPrefixes: [p] } });
      try {
        expect(ids(await take(sub, 2))).toEqual(ids(events.slice(2)));
        const live = newEvent();
        await store().appendToStream(p, [live], { expectedRevision: 3n });
        expect(ids(await take(sub, 1))).toEqual([live.id]);
      } finally {
        await sub.close();
      }
    });

    it('applies an event type filter to catch-up and live events', async () => {
      const p = uniquePrefix('typefilter');
      const t = `T${p.replace(/-/g, '')}`;
      const wanted = [newEvent(`${t}.Wanted`), newEvent(`${t}.Wanted`)];
      await store().appendToStream(p, [wanted[0], newEvent(`${t}.Other`)], { expectedRevision: 'no_stream' });
      const sub = store().subscribeToAll({ filter: { eventTypePrefixes: [`${t}.W`] } });
      try {
        expect(ids(await take(sub, 1))).toEqual([wanted[0].id]);
        await store().appendToStream(p, [newEvent(`${t}.Other`), wanted[1]], { expectedRevision: 1n });
        expect(ids(await take(sub, 1))).toEqual([wanted[1].id]);
      } finally {
        await sub.close();
      }
    });

    it('without a filter, delivers our events in order among the rest of the log', async () => {
      const s = uniquePrefix('nofilter');
      const sub = store().subscribeToAll({ after: await store().headPosition() });
      try {
        const events = newEvents(3);
        await store().appendToStream(s, events, { expectedRevision: 'no_stream' });
        const got = await take(sub, 3, (e) => e.streamId === s);
        expect(ids(got)).toEqual(ids(events));
      } finally {
        await sub.close();
      }
    });

    it('close() ends a for-await loop that is waiting for live events', async () => {
      const p = uniquePrefix('close-waiting');
      await store().appendToStream(p, [newEvent()], { expectedRevision: 'no_stream' });
      const sub = store().subscribeToAll({ filter: { streamPrefixes: [p] } });
      const seen: RecordedEvent[] = [];
      let firstSeen!: () => void;
      const first = new Promise<void>((resolve) => (firstSeen = resolve));
      const loop = (async () => {
        for await (const e of sub) {
          seen.push(e);
          firstSeen();
        }
      })();
      await first;
      await sub.close();
      await loop; // would hang (and time out) if close() did not end the iteration
      expect(seen).toHaveLength(1);
    });

    it('close() called inside the loop body ends the iteration', async () => {
      const p = uniquePrefix('close-inside');
      await store().appendToStream(p, newEvents(5), { expectedRevision: 'no_stream' });
      const sub = store().subscribeToAll({ filter: { streamPrefixes: [p] } });
      let count = 0;
      for await (const _ of sub) {
        count++;
        if (count === 2) await sub.close();
      }
      expect(count).toBe(2);
    });

    it('serves several concurrent subscribers the same sequence', async () => {
      const p = uniquePrefix('fanout-subs');
      await store().appendToStream(`${p}-0`, newEvents(2), { expectedRevision: 'no_stream' });
      const subs = Array.from({ length: 4 }, () => store().subscribeToAll({ filter: { streamPrefixes: [p] } }));
      try {
        const pending = subs.map((sub) => take(sub, 6));
        for (let i = 1; i <= 4; i++) await store().appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'no_stream' });
        const results = await Promise.all(pending);
        const expected = ids(await store().readAll({ filter: { streamPrefixes: [p] } }));
        expect(expected).toHaveLength(6);
        for (const r of results) expect(ids(r)).toEqual(expected);
      } finally {
        await Promise.all(subs.map((s) => s.close()));
      }
    });

    it('delivers events from many concurrent writers exactly once, in position order, across catch-up and live', async () => {
      const p = uniquePrefix('writers');
      const filter = { streamPrefixes: [p] };
      const writers = 12;
      const perWriter = 15;
      const appended: EventData[] = [];
      const early = store().subscribeToAll({ filter });
      let late: ReturnType<EventStore['subscribeToAll']> | undefined;
      let startLate!: () => void;
      const lateStarted = new Promise<void>((resolve) => (startLate = resolve));
      try {
        const earlyTake = take(early, writers * perWriter + writers);
        const write = async (w: number): Promise<void> => {
          for (let i = 0; i < perWriter; i++) {
            // Every writer adds one two-event append too, so batches mix single and multi-event appends.
            const events = i === 3 ? newEvents(2) : [newEvent()];
            appended.push(...events);
            await store().appendToStream(`${p}-${w}`, events, { expectedRevision: 'any' });
            // The late subscriber joins mid-stream: its catch-up/live handover happens under load.
            if (w === 0 && i === 5) startLate();
          }
        };
        const writing = settle(Array.from({ length: writers }, (_, w) => write(w)));
        await lateStarted;
        late = store().subscribeToAll({ filter });
        const lateTake = take(late, writers * perWriter + writers);
        const { failed } = await writing;
        expect(failed).toEqual([]);
        const committed = await store().readAll({ filter, maxCount: 10_000 });
        expect(committed).toHaveLength(appended.length);
        for (const got of [await earlyTake, await lateTake]) {
          expect(ids(got)).toEqual(ids(committed));
          expect(new Set(ids(got)).size).toBe(appended.length);
          expect(strictlyIncreasing(got.map((e) => e.position))).toBe(true);
        }
        // Nothing extra queued behind: the next event either subscriber sees is a fresh marker.
        const marker = newEvent();
        await store().appendToStream(`${p}-marker`, [marker], { expectedRevision: 'no_stream' });
        expect(ids(await take(early, 1))).toEqual([marker.id]);
        expect(ids(await take(late!, 1))).toEqual([marker.id]);
      } finally {
        await early.close();
        await late?.close();
      }
    });
  });
}
