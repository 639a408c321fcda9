import { connect, createServer, type Socket } from 'node:net';
import { ListeningSockets } from '../../apps/engine/src/http/listening-sockets';
import { startEngine, type RunningEngine } from '../support/engine-harness';

/**
 * The engine's listening sockets (VERDICT_LISTEN_SOCKETS, docs/benchmarks.md 2026-12-06): libuv accepts one connection
 * per listening socket per turn of the event loop, so a burst of new connections is accepted in as many turns as the
 * busiest socket holds. Turns are counted, not timed: a check callback runs once per turn.
 */
const linux = process.platform === 'linux';
const describeOnLinux = linux ? describe : describe.skip;
if (!linux) console.warn(`listening-sockets: skipped on ${process.platform} (SO_REUSEPORT spreads connections only on Linux)`);

const BURST = 64;

function portOf(engine: RunningEngine): number {
  return Number(new URL(engine.url).port);
}

/** Opens BURST connections at once, sends a request on each, and counts the loop's turns until every one is answered. */
async function turnsToAnswer(engine: RunningEngine): Promise<number> {
  let turns = 0;
  let counting = true;
  const tick = (): void => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  const answered = Array.from(
    { length: BURST },
    () =>
      new Promise<string>((resolve, reject) => {
        const socket: Socket = connect(portOf(engine), '127.0.0.1', () => socket.write('GET /health/live HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      }),
  );
  const answers = await Promise.all(answered);
  counting = false;
  expect(answers.every((a) => a.startsWith('HTTP/1.1 200'))).toBe(true);
  return turns;
}

const refusedConnection = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

describeOnLinux('listening sockets over real TCP', () => {
  it('accepts a burst of connections in fewer turns than one socket needs', async () => {
    const many = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    try {
      expect(many.resolve(ListeningSockets).count).toBe(8);
      // Spread by the kernel over 8 sockets, the busiest holds ~15 of 64; one socket holds all 64.
      expect(await turnsToAnswer(many)).toBeLessThan(48);
    } finally {
      await many.stop();
    }
    const one = await startEngine({ VERDICT_WARMUP_DECISIONS: '0', VERDICT_LISTEN_SOCKETS: '1' });
    try {
      expect(one.resolve(ListeningSockets).count).toBe(1);
      expect(await turnsToAnswer(one)).toBeGreaterThanOrEqual(BURST);
    } finally {
      await one.stop();
    }
  });

  it('refuses a port another process listens on, and a second engine on its own port', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const taken = (other.address() as { port: number }).port;
    try {
      await expect(startEngine({ VERDICT_WARMUP_DECISIONS: '0', PORT: String(taken) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      other.close();
    }
    const first = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    try {
      // A second engine on the same port would join an SO_REUSEPORT group and take half the traffic: it must fail.
      await expect(startEngine({ VERDICT_WARMUP_DECISIONS: '0', PORT: String(portOf(first)) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect((await fetch(`${first.url}/health/live`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  it('starts one of two engines started together on one port, and refuses the other', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = String((probe.address() as { port: number }).port);
    await new Promise((resolve) => probe.close(resolve));
    // Each runs its start-up (a warm-up included) before it binds, so their checks and binds interleave.
    const started = await Promise.allSettled([0, 1].map(() => startEngine({ VERDICT_WARMUP_DECISIONS: '50', PORT: port })));
    const up = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(up).toHaveLength(1);
      expect(started.find((s) => s.status === 'rejected')).toMatchObject({ reason: { code: 'EADDRINUSE' } });
      // Every connection reaches the one engine that started: its admin key is accepted on each.
      const statuses = await Promise.all(
        Array.from({ length: 32 }, () => fetch(`${(up[0] as RunningEngine).url}/v1/decisions?limit=1`, { headers: { authorization: `Bearer ${(up[0] as RunningEngine).adminKey}`, connection: 'close' } }).then((r) => r.status)),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    } finally {
      await Promise.all(up.map((e) => e.stop()));
    }
  });

  it('closes every socket when it stops: no connection is accepted afterwards, and the port can be taken again', async () => {
    const engine = await startEngine({ VERDICT_WARMUP_DECISIONS: '0' });
    const port = portOf(engine);
    await engine.stop();
    // Each attempt lands on a socket the kernel picks by the connection's ports: 128 would find any one left open.
    const attempts = await Promise.all(Array.from({ length: 128 }, () => refusedConnection(port)));
    expect(attempts.every(Boolean)).toBe(true);
    // And it let go of the address: an engine started on that port now comes up.
    const next = await startEngine({ VERDICT_WARMUP_DECISIONS: '0', PORT: String(port) });
    await next.stop();
  });
});
