/**
 * Wire compatibility of the fake EventStoreDB, checked with the raw @eventstore/db-client (no adapter involved).
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { FakeEsdbServer } from './fake-esdb-server';

const collect = async <E>(read: AsyncIterable<E>): Promise<E[]> => {
  const out: E[] = [];
  for await (const e of read) out.push(e);
  return out;
};

const event = (type = 'WireTested', data: Record<string, unknown> = {}) => jsonEvent({ id: randomUUID(), type, data });

describe('fake EventStoreDB, seen through the raw client', () => {
  let server: FakeEsdbServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = new FakeEsdbServer();
    const { connectionString } = await server.start();
    client = EventStoreDBClient.connectionString(connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  it('appends through BatchAppend and reads the stream back forwards and backwards', async () => {
    const stream = `wire-${randomUUID()}`;
    const events = [event('A', { n: 1 }), event('B', { n: 2 }), event('C', { n: 3 })];
    const result = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(2n);
    // The client asked for the server's features and chose the bidirectional BatchAppend stream.
    expect(server.calls.get('getSupportedMethods')).toBe(1);
    expect(server.calls.get('batchAppend')).toBe(1);
    expect(server.calls.get('append')).toBeUndefined();

    const forwards = await collect<ResolvedEvent>(client.readStream(stream, { direction: FORWARDS, fromRevision: START }));
    expect(forwards.map((e) => [e.event?.id, e.event?.type, e.event?.revision, e.event?.data])).toEqual([
      [events[0].id, 'A', 0n, { n: 1 }],
      [events[1].id, 'B', 1n, { n: 2 }],
      [events[2].id, 'C', 2n, { n: 3 }],
    ]);
    // Self-committed events: commit == prepare, strictly increasing, the append reports the last one.
    const positions = forwards.map((e) => e.event!.position!);
    for (const p of positions) expect(p.commit).toBe(p.prepare);
    expect(positions[1].commit).toBeGreaterThan(positions[0].commit);
    expect(result.position).toEqual(positions[2]);

    const backwards = await collect<ResolvedEvent>(
      client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }),
    );
    expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n]);
  });

  it('reports a missing stream as StreamNotFoundError', async () => {
    await expect(collect(client.readStream(`missing-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('rejects a wrong expected revision with the current revision', async () => {
    const stream = `wire-wev-${randomUUID()}`;
    await client.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
    const error = await client.appendToStream(stream, [event()], { expectedRevision: 5n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect((error as WrongExpectedVersionError).actualVersion).toBe(0n);
    expect((error as WrongExpectedVersionError).expectedVersion).toBe(5n);
  });

  it('treats a retried append with the same event ids as already written', async () => {
    const stream = `wire-idem-${randomUUID()}`;
    const events = [event(), event()];
    const first = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const again = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const anyAgain = await client.appendToStream(stream, events, { expectedRevision: 'any' });
    expect(again).toEqual(first);
    expect(anyAgain).toEqual(first);
    expect(await collect(client.readStream(stream))).toHaveLength(2);
  });

  it('reads $all forwards from a position (inclusive) and backwards from the end, system events included', async () => {
    const all = await collect<AllStreamResolvedEvent>(client.readAll({ fromPosition: START, direction: FORWARDS }));
    expect(all.some((e) => e.event?.streamId.startsWith('$'))).toBe(true);
    const third = all[2].event!.position;
    const fromThird = await collect<AllStreamResolvedEvent>(client.readAll({ fromPosition: third, maxCount: 2 }));
    expect(fromThird.map((e) => e.event?.id)).toEqual([all[2].event?.id, all[3].event?.id]);
    const last = await collect<AllStreamResolvedEvent>(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
    expect(last[0].event?.id).toBe(all.at(-1)?.event?.id);
  });

  it('subscribes to $all with a server-side filter: catch-up, caughtUp, live, checkpoints', async () => {
    const prefix = `wire-sub-${randomUUID()}`;
    await client.appendToStream(`${prefix}-1`, [event('Old')], { expectedRevision: 'no_stream' });
    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: streamNameFilter({ prefixes: [prefix], checkpointInterval: 1, checkpointReached: (_s, p) => void checkpoints.push(p) }),
    });
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const received: AllStreamResolvedEvent[] = [];
    const gotTwo = new Promise<void>((resolve) =>
      subscription.on('data', (e: AllStreamResolvedEvent) => {
        received.push(e);
        if (received.length === 2) resolve();
      }),
    );
    await caughtUp;
    expect(received.map((e) => e.event?.type)).toEqual(['Old']);
    // Enough unrelated events to pass the 32-event checkpoint window.
    for (let i = 0; i < 40; i++) await client.appendToStream(`other-${prefix}`, [event('Noise')]);
    await client.appendToStream(`${prefix}-2`, [event('New')], { expectedRevision: 'no_stream' });
    await gotTwo;
    expect(received.map((e) => e.event?.type)).toEqual(['Old', 'New']);
    expect(checkpoints.length).toBeGreaterThan(0);
    await subscription.unsubscribe();
  });

  it('subscribes to $all from a position (exclusive) with an event type filter, and to a stream', async () => {
    const type = `T${randomUUID().replace(/-/g, '')}`;
    const stream = `wire-typed-${randomUUID()}`;
    const events = [event(`${type}.one`), event('Unrelated'), event(`${type}.two`), event(`${type}.three`)];
    const result = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
    const read = await collect<ResolvedEvent>(client.readStream(stream));
    const fromFirst = client.subscribeToAll({ fromPosition: read[0].event!.position!, filter: eventTypeFilter({ prefixes: [type] }) });
    const typed: string[] = [];
    await new Promise<void>((resolve) =>
      fromFirst.on('data', (e: AllStreamResolvedEvent) => {
        typed.push(e.event!.type);
        if (typed.length === 2) resolve();
      }),
    );
    expect(typed).toEqual([`${type}.two`, `${type}.three`]);
    await fromFirst.unsubscribe();

    const streamSub = client.subscribeToStream(stream, { fromRevision: 1n });
    const revisions: bigint[] = [];
    await new Promise<void>((resolve) =>
      streamSub.on('data', (e: ResolvedEvent) => {
        revisions.push(e.event!.revision);
        if (revisions.length === 3) resolve();
        if (revisions.length === 2) void client.appendToStream(stream, [event()], { expectedRevision: result.nextExpectedRevision });
      }),
    );
    expect(revisions).toEqual([2n, 3n, 4n]);
    await streamSub.unsubscribe();
  });

  it('answers a BatchAppend request whose deadline has passed with Timeout, writing nothing', async () => {
    const stream = `wire-deadline-${randomUUID()}`;
    const error = await client.appendToStream(stream, [event()], { deadline: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('tells a consumer too slow for the live buffer that it fell behind, then catches it up without gaps', async () => {
    const stream = `wire-slow-${randomUUID()}`;
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    const marks: string[] = [];
    subscription.on('caughtUp', () => marks.push('caughtUp'));
    subscription.on('fellBehind', () => marks.push('fellBehind'));
    await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    subscription.pause();
    const total = 3000;
    const blob = 'x'.repeat(1024);
    for (let i = 0; i < total; i += 500) {
      const batch = Array.from({ length: 500 }, (_, j) => event('Burst', { i: i + j, blob }));
      await client.appendToStream(stream, batch);
    }
    const revisions: bigint[] = [];
    const all = new Promise<void>((resolve) =>
      subscription.on('data', (e: ResolvedEvent) => {
        revisions.push(e.event!.revision);
        if (revisions.length === total) resolve();
      }),
    );
    subscription.resume();
    await all;
    await new Promise<void>((resolve) => (marks.at(-1) === 'caughtUp' ? resolve() : subscription.once('caughtUp', () => resolve())));
    expect(revisions).toEqual(Array.from({ length: total }, (_, i) => BigInt(i)));
    expect(marks[0]).toBe('caughtUp');
    expect(marks).toContain('fellBehind');
    expect(marks.at(-1)).toBe('caughtUp');
    await subscription.unsubscribe();
  });

  it('uses the unary Append RPC when BatchAppend is not chosen (credentials given)', async () => {
    const stream = `wire-unary-${randomUUID()}`;
    const credentials = { username: 'admin', password: 'changeit' };
    const unaryBefore = server.calls.get('append') ?? 0;
    const first = await client.appendToStream(stream, [event()], { expectedRevision: 'no_stream', credentials });
    expect(first.nextExpectedRevision).toBe(0n);
    const error = await client
      .appendToStream(stream, [event()], { expectedRevision: 'no_stream', credentials })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect((error as WrongExpectedVersionError).actualVersion).toBe(0n);
    expect(server.calls.get('append')).toBe(unaryBefore + 2);
  });
});
