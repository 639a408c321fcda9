import type { GraphQLError } from 'graphql';
import { operationError } from './graphql-request';

const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';
const REFUSAL = '{"type":"connection_error"';
/** The message that starts an operation: graphql-transport-ws's, and the legacy protocol's. */
const STARTS = new Set(['subscribe', 'start']);

/** The parts of a `ws` socket this uses (ws ships no types here). */
export interface GraphqlSocket {
  readonly protocol: string;
  send(data: unknown, ...rest: unknown[]): void;
  close(code?: number, reason?: string): void;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/**
 * The WebSocket Mercurius serves subscriptions on, adapted before Mercurius takes it, where Mercurius has no option:
 *
 * - Refusals as graphql-transport-ws has them: a close with 4403 Forbidden (connection_init not accepted by
 *   onConnect) or 4401 Unauthorized (subscribe before connection_ack). Mercurius refuses both with a
 *   `connection_error` message and a close without a code; that message exists only in the older
 *   subscriptions-transport-ws protocol, so a graphql-ws client rejects it as invalid instead of reporting the
 *   refusal. The socket's send turns that one message into the close; Mercurius' own close that follows finds the
 *   socket closing and does nothing more.
 * - An operation that is not GraphQL text naming one operation (operationError) is answered with an `error` message
 *   for its id and never reaches Mercurius, which would fail on it with a TypeError and send that error's text.
 */
export function adaptGraphqlSocket(socket: GraphqlSocket): void {
  const emit = socket.emit.bind(socket);
  socket.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'message') return emit(event, ...args);
    const refused = refusedStart(args[0]);
    if (!refused) return emit(event, ...args);
    socket.send(JSON.stringify({ type: 'error', id: refused.id, payload: [refused.error.toJSON()] }));
    return true;
  };
  if (socket.protocol !== GRAPHQL_TRANSPORT_WS) return; // the legacy protocol has connection_error
  const send = socket.send.bind(socket);
  socket.send = (data: unknown, ...rest: unknown[]) => {
    if (typeof data !== 'string' || !data.startsWith(REFUSAL)) return send(data, ...rest);
    const message = (JSON.parse(data) as { payload?: { message?: unknown } }).payload?.message;
    if (message === 'Forbidden') socket.close(4403, 'Forbidden');
    else socket.close(4401, 'Unauthorized');
    const done = rest.find((a): a is (error?: Error) => void => typeof a === 'function');
    done?.();
  };
}

/** A message starting an operation that operationError refuses; anything else (even unparsable) is Mercurius'. */
function refusedStart(raw: unknown): { id: unknown; error: GraphQLError } | null {
  let message: unknown;
  try {
    message = JSON.parse(String(raw));
  } catch {
    return null;
  }
  if (message === null || typeof message !== 'object') return null;
  const { type, id, payload } = message as { type?: unknown; id?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !STARTS.has(type)) return null;
  const { query, operationName } = (payload !== null && typeof payload === 'object' ? payload : {}) as { query?: unknown; operationName?: unknown };
  const error = operationError(query, operationName);
  return error ? { id, error } : null;
}
