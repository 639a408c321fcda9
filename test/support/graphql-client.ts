import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';

/** The gauge of decisionMade subscriptions an instance streams to (how a test knows a subscription is live). */
export const DECISION_SUBSCRIBERS = 'verdict_graphql_decision_subscribers';

/** A Decision's scalar fields, as the tests ask for them. */
export const DECISION_FIELDS = 'decisionId transactionId position outcome score cardId merchantId amount currency decidedAt arm deploymentRevision model { name version sha256 }';

/** A GraphQL answer over HTTP: the status and the body (`data`, `errors`). */
export interface GraphqlAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: { data?: any; errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[] };
}

/** An engine and the key to call it with (a RunningEngine is one: its admin key). */
export interface GraphqlTarget {
  readonly url: string;
  readonly adminKey: string;
}

/** POST /graphql over real HTTP. */
export async function graphql(target: GraphqlTarget, query: string, variables?: Record<string, unknown>, operationName?: string): Promise<GraphqlAnswer> {
  const res = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminKey}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: res.status, body: (await res.json()) as GraphqlAnswer['body'] };
}

/** A real graphql-ws client (the graphql-transport-ws protocol) on /graphql, with Node's own WebSocket. */
export function wsClient(target: GraphqlTarget): Client {
  return createClient({
    url: `${target.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${target.adminKey}` },
  });
}

/** One subscription: its results, one at a time, in order; next() rejects with what the server ended it with. */
export interface LiveSubscription<T> {
  next(): Promise<IteratorResult<FormattedExecutionResult<T, unknown>, undefined>>;
  stop(): Promise<void>;
}

/**
 * Subscribes at once and keeps every result until it is read (graphql-ws's own iterate() loses a completion that
 * arrives while nobody is waiting for the next result).
 */
export function subscribe<T = Record<string, unknown>>(client: Client, query: string, variables?: Record<string, unknown>, extra?: { operationName?: unknown }): LiveSubscription<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  let ended: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;
  const dispose = client.subscribe<T>(
    { query, variables, ...(extra as { operationName?: string }) },
    {
      next: (value) => {
        results.push(value);
        wake?.();
      },
      error: (error) => {
        ended ??= { error };
        wake?.();
      },
      complete: () => {
        ended ??= {};
        wake?.();
      },
    },
  );
  return {
    async next() {
      while (results.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      const value = results.shift();
      if (value) return { value, done: false };
      if (ended?.error !== undefined) {
        const { error } = ended;
        ended = {};
        throw error;
      }
      return { value: undefined, done: true };
    },
    stop: async () => dispose(),
  };
}

/** Polls GET /metrics until `name` reads `value` (bounded): how a test knows the server has done something. */
export async function metricReaches(target: GraphqlTarget, name: string, value: number, within = 15_000): Promise<void> {
  const until = Date.now() + within;
  let last = '';
  while (Date.now() < until) {
    const text = await (await fetch(`${target.url}/metrics`, { headers: { authorization: `Bearer ${target.adminKey}` } })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    last = line ?? '(absent)';
    if (line && Number(line.slice(name.length + 1)) === value) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${name} did not reach ${value} within ${within} ms (last: ${last})`);
}
