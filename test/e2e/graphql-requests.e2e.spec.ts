import { startEngine, type RunningEngine } from '../support/engine-harness';
import { DECISION_SUBSCRIBERS, metricReaches, subscribe, wsClient } from '../support/graphql-client';

/**
 * Badly formed GraphQL-over-HTTP requests (a query that is not GraphQL text, an operationName that names no
 * operation of the document) are the client's mistake: HTTP 400 with a GraphQL error saying which, before anything
 * runs, and never internal error text. Over WebSocket, a refused connection is closed as graphql-transport-ws says.
 */
describe('GraphQL requests over HTTP and WebSocket', () => {
  let engine: RunningEngine;

  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine?.stop());

  const post = async (body: unknown) => {
    const res = await fetch(`${engine.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.adminKey}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string }[] } };
  };
  const get = async (params: Record<string, string>) => {
    const res = await fetch(`${engine.url}/graphql?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${engine.adminKey}` } });
    return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string }[] } };
  };
  const refused = (message: string | RegExp) => ({ data: null, errors: [expect.objectContaining({ message: expect.stringMatching(message) })] });

  it.each([
    ['a number', { query: 123 }, /^The query must be a string/],
    ['an object', { query: { kind: 'Document', definitions: [] } }, /^The query must be a string/],
    ['no query', { variables: {} }, /^The query must be a string/],
    ['JSON, not GraphQL', { query: '123' }, /^Syntax Error/],
    ['a JSON document tree', { query: JSON.stringify({ kind: 'Document', definitions: [{ kind: 'OperationDefinition' }] }) }, /^Syntax Error/],
    ['an operationName that is a number', { query: '{ models { name } }', operationName: 123 }, /^The operationName must be a string/],
    ['an operationName naming no operation', { query: '{ models { name } }', operationName: 'Nope' }, /^The document has no operation named "Nope"/],
    ['an operationName naming a fragment', { query: 'query A { models { ...Nope } } fragment Nope on Model { name }', operationName: 'Nope' }, /^The document has no operation named "Nope"/],
    ['no operationName with two operations', { query: 'query A { models { name } } query B { models { name } }' }, /^The document has 2 operations: operationName must name the one to run/],
  ])('refuses a POST with %s: 400, a GraphQL error naming the problem', async (_case, body, message) => {
    for (let i = 0; i < 2; i++) {
      // Twice: the second time, Mercurius has the document in its cache and skips its own checks.
      const res = await post(body);
      expect([res.status, res.body]).toEqual([400, refused(message)]);
    }
  });

  it('refuses a GET whose operationName names no operation of the document, cached or not', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await get({ query: '{ models { name } }', operationName: 'X' });
      expect([res.status, res.body]).toEqual([400, refused(/^The document has no operation named "X"/)]);
    }
    const ok = await get({ query: 'query X { models { name } }', operationName: 'X' });
    expect([ok.status, ok.body]).toEqual([200, { data: { models: [{ name: 'fraud-demo' }] } }]);
  });

  it('runs the operation named, and a lone operation with or without its name', async () => {
    const doc = 'query A { models { name } } query B { deployment { revision } }';
    expect((await post({ query: doc, operationName: 'A' })).body).toEqual({ data: { models: [{ name: 'fraud-demo' }] } });
    expect((await post({ query: '{ models { name } }', operationName: null })).body).toEqual({ data: { models: [{ name: 'fraud-demo' }] } });
    expect((await post({ query: 'query A { models { name } }', operationName: 'A' })).body).toEqual({ data: { models: [{ name: 'fraud-demo' }] } });
  });

  /** A raw graphql-transport-ws socket: what it received, and how it was closed. */
  const rawSocket = (first: Record<string, unknown>) =>
    new Promise<{ received: string[]; code: number; reason: string }>((resolve, reject) => {
      const socket = new WebSocket(`${engine.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      const received: string[] = [];
      socket.onopen = () => socket.send(JSON.stringify(first));
      socket.onmessage = (m) => received.push(String(m.data));
      socket.onclose = (e) => resolve({ received, code: e.code, reason: e.reason });
      socket.onerror = () => reject(new Error('socket error'));
    });

  it('refuses a WebSocket without an accepted credential by closing it with 4403 Forbidden, which graphql-ws reports', async () => {
    const refused = wsClient({ url: engine.url, adminKey: 'vdk_not-a-key' });
    try {
      await expect(subscribe(refused, 'subscription { decisionMade { decisionId } }').next()).rejects.toMatchObject({ code: 4403, reason: 'Forbidden' });
    } finally {
      await refused.dispose();
    }
    expect(await rawSocket({ type: 'connection_init', payload: {} })).toEqual({ received: [], code: 4403, reason: 'Forbidden' });
  });

  it('closes with 4401 Unauthorized a WebSocket that subscribes before its connection is acknowledged', async () => {
    const subscribeFirst = { id: '1', type: 'subscribe', payload: { query: 'subscription { decisionMade { decisionId } }' } };
    expect(await rawSocket(subscribeFirst)).toEqual({ received: [], code: 4401, reason: 'Unauthorized' });
  });

  /** A raw authenticated graphql-transport-ws session: the answer to one subscribe message, and whether the socket stayed open. */
  const rawSubscribe = (payload: Record<string, unknown>) =>
    new Promise<{ answer: unknown; open: boolean }>((resolve, reject) => {
      const socket = new WebSocket(`${engine.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${engine.adminKey}` } }));
      socket.onmessage = (m) => {
        const message = JSON.parse(String(m.data)) as { type: string };
        if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
        if (message.type === 'error' || message.type === 'next') {
          resolve({ answer: message, open: socket.readyState === WebSocket.OPEN });
          socket.close();
        }
      };
      socket.onclose = (e) => reject(new Error(`closed ${e.code} before an answer`));
    });

  it('answers a subscribe that is not GraphQL text naming one operation with an error for it, the socket staying open', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ query: 123 }, /^The query must be a string/],
      [{ query: { kind: 'Document', definitions: [{}] } }, /^The query must be a string/],
      [{ query: 'subscription A { decisionMade { decisionId } }', operationName: 'Nope' }, /^The document has no operation named "Nope"/],
      [{ query: 'subscription A { decisionMade { decisionId } }', operationName: 123 }, /^The operationName must be a string/],
      [{ query: 'subscription A { decisionMade { decisionId } } subscription B { alertRaised { type } }' }, /^The document has 2 operations/],
    ];
    for (const [payload, message] of cases) {
      expect(await rawSubscribe(payload)).toEqual({ answer: { type: 'error', id: '1', payload: [expect.objectContaining({ message: expect.stringMatching(message) })] }, open: true });
    }
    // graphql-ws reports it as the subscription's error, and the connection still serves a good one.
    const client = wsClient(engine);
    try {
      const doc = 'subscription A { decisionMade { decisionId } }';
      await expect(subscribe(client, doc, undefined, { operationName: 'Nope' }).next()).rejects.toEqual([expect.objectContaining({ message: 'The document has no operation named "Nope".' })]);
      const good = subscribe(client, doc, undefined, { operationName: 'A' });
      await metricReaches(engine, DECISION_SUBSCRIBERS, 1);
      await good.stop();
    } finally {
      await client.dispose();
    }
  });
});
