import { setTimeout as delay } from 'node:timers/promises';
import { InvalidAppendError, WrongExpectedRevisionError } from '../../event-store.errors';
import type { CommitReport, EventStore } from '../../event-store.port';
import { newEvent, take, uniquePrefix } from '../event-store-test-kit';

/** Opens another instance on the same database, as another process would; the test closes it. */
export type OpenPeer = () => Promise<EventStore>;

/** Long enough that a subscription woken within a few seconds was woken by something other than its poll timer. */
export const PEER_POLL_INTERVAL_MS = 120_000;

export function appendNotificationContract(store: () => EventStore, openPeer: OpenPeer): void {
  describe('onAppended', () => {
    it('calls the listener after a committed append, by the time the append resolves', async () => {
      let calls = 0;
      const off = store().onAppended(() => calls++);
      try {
        await store().appendToStream(uniquePrefix('appended'), [newEvent()], { expectedRevision: 'no_stream' });
        expect(calls).toBeGreaterThanOrEqual(1);
        const p = uniquePrefix('appended-many');
        await Promise.all(Array.from({ length: 20 }, (_, i) => store().appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'any' })));
        expect(calls).toBeGreaterThanOrEqual(2);
        expect(calls).toBeLessThanOrEqual(21); // at most once per append, fewer when appends share a commit
      } finally {
        off();
      }
    });

    it('passes the position the commit reached: at least that of every append it acknowledged', async () => {
      let highest = -1n;
      const off = store().onAppended((position) => {
        if (position > highest) highest = position;
      });
      try {
        const one = await store().appendToStream(uniquePrefix('position'), [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        expect(highest).toBe(one.position); // by the time the append resolves
        const p = uniquePrefix('position-many');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store().appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'any' })),
        );
        const last = results.reduce((h, r) => (r.position > h ? r.position : h), -1n);
        expect(highest).toBe(last);
        const batch = await store().appendBatch([
          { streamId: `${p}-batch-a`, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
          { streamId: `${p}-batch-b`, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
        ]);
        for (const r of batch) {
          if (r instanceof Error) throw r;
          expect(highest).toBeGreaterThanOrEqual(r.position);
        }
      } finally {
        off();
      }
    });

    it('does not call it for an append that is refused', async () => {
      const s = uniquePrefix('refused');
      await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      let calls = 0;
      const off = store().onAppended(() => calls++);
      try {
        await expect(store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await expect(store().appendToStream(s, [], { expectedRevision: 'any' })).rejects.toBeInstanceOf(InvalidAppendError);
        await delay(50);
        expect(calls).toBe(0);
      } finally {
        off();
      }
    });

    it('stops calling a listener once it unsubscribed, and keeps calling the others', async () => {
      let gone = 0;
      let kept = 0;
      const offGone = store().onAppended(() => gone++);
      const offKept = store().onAppended(() => kept++);
      try {
        offGone();
        offGone(); // twice is harmless
        await store().appendToStream(uniquePrefix('unsubscribed'), [newEvent()], { expectedRevision: 'no_stream' });
        expect(gone).toBe(0);
        expect(kept).toBeGreaterThanOrEqual(1);
      } finally {
        offKept();
      }
    });

    it('is about this instance only: appends through another instance do not call it', async () => {
      const peer = await openPeer();
      let calls = 0;
      const off = store().onAppended(() => calls++);
      try {
        await peer.appendToStream(uniquePrefix('peer-append'), [newEvent()], { expectedRevision: 'no_stream' });
        await delay(50);
        expect(calls).toBe(0);
      } finally {
        off();
        await peer.close();
      }
    });
  });

  describe('onCommitted', () => {
    it("reports every commit that made appends durable, by the time they resolve: appends, events, the store's time", async () => {
      const commits: CommitReport[] = [];
      const off = store().onCommitted((commit) => commits.push(commit));
      try {
        const started = performance.now();
        await store().appendToStream(uniquePrefix('committed'), [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const took = (performance.now() - started) / 1000;
        expect(commits).toHaveLength(1);
        expect(commits[0]).toMatchObject({ appends: 1, events: 2 });
        expect(commits[0].seconds).toBeGreaterThan(0);
        expect(commits[0].seconds).toBeLessThanOrEqual(took);
        const p = uniquePrefix('committed-many');
        await Promise.all(Array.from({ length: 20 }, (_, i) => store().appendToStream(`${p}-${i}`, [newEvent()], { expectedRevision: 'any' })));
        const later = commits.splice(1);
        expect(later.reduce((n, c) => n + c.appends, 0)).toBe(20); // in fewer commits where appends share one
        expect(later.reduce((n, c) => n + c.events, 0)).toBe(20);
        for (const c of later) expect(c.appends >= 1 && Number.isFinite(c.seconds) && c.seconds > 0).toBe(true);
        const taken = uniquePrefix('committed-batch');
        await store().appendToStream(taken, [newEvent()], { expectedRevision: 'no_stream' });
        commits.length = 0;
        const outcomes = await store().appendBatch([
          { streamId: `${taken}-a`, events: [newEvent(), newEvent()], options: { expectedRevision: 'no_stream' } },
          { streamId: taken, events: [newEvent()], options: { expectedRevision: 'no_stream' } }, // refused: it exists
          { streamId: `${taken}-b`, events: [newEvent()], options: { expectedRevision: 'no_stream' } },
        ]);
        expect(outcomes[1]).toBeInstanceOf(WrongExpectedRevisionError);
        expect(commits.reduce((n, c) => n + c.appends, 0)).toBe(2); // one commit, or one per append where each is one
        expect(commits.reduce((n, c) => n + c.events, 0)).toBe(3);
      } finally {
        off();
      }
    });

    it('keeps an append that a throwing listener heard of, and reports the error as a process warning', async () => {
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const off = store().onCommitted(() => {
        throw new Error('listener failed');
      });
      try {
        const s = uniquePrefix('committed-throwing');
        await expect(store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' })).resolves.toBeDefined();
        expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener failed' }), 'AppendListenerError');
        expect(await store().readStream(s)).toHaveLength(1);
      } finally {
        off();
        warn.mockRestore();
      }
    });

    it('does not report a refused append, and stops once unsubscribed', async () => {
      const s = uniquePrefix('committed-refused');
      await store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' });
      let calls = 0;
      const off = store().onCommitted(() => calls++);
      try {
        await expect(store().appendToStream(s, [newEvent()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await delay(50);
        expect(calls).toBe(0);
      } finally {
        off();
      }
      await store().appendToStream(uniquePrefix('committed-after-off'), [newEvent()], { expectedRevision: 'no_stream' });
      expect(calls).toBe(0);
    });
  });

  describe('notifyAppended', () => {
    it("wakes another instance's idle subscription at once, however long its poll interval", async () => {
      const peer = await openPeer();
      const p = uniquePrefix('notified');
      const sub = peer.subscribeToAll({ filter: { streamPrefixes: [p] } });
      try {
        const next = take(sub, 1, undefined, 5_000);
        await delay(300); // the subscription has found nothing and sleeps until its next poll
        const event = newEvent();
        await store().appendToStream(p, [event], { expectedRevision: 'no_stream' });
        peer.notifyAppended(); // what the engine's projection thread hears from the main thread
        expect((await next).map((e) => e.id)).toEqual([event.id]);
      } finally {
        await sub.close();
        await peer.close();
      }
    });

    it('is harmless with nothing new, nothing waiting, and after close', async () => {
      const peer = await openPeer();
      peer.notifyAppended();
      await peer.close();
      expect(() => peer.notifyAppended()).not.toThrow();
    });
  });
}
