/** The parts of a `ws` socket this uses (ws ships no types here). */
export interface GraphqlSocket {
  readonly protocol: string;
  send(data: unknown, ...rest: unknown[]): void;
  close(code?: number, reason?: string): void;
}

const GRAPHQL_TRANSPORT_WS = 'graphql-transport-ws';
const REFUSAL = '{"type":"connection_error"';

/**
 * Refusals on a graphql-transport-ws socket as that protocol has them: a close with 4403 Forbidden (connection_init
 * not accepted by onConnect) or 4401 Unauthorized (subscribe before connection_ack). Mercurius refuses both with a
 * `connection_error` message and a close without a code; that message exists only in the older
 * subscriptions-transport-ws protocol, so a graphql-ws client rejects it as invalid instead of reporting the
 * refusal, and Mercurius has no option to close otherwise. So the socket's send turns that one message into the
 * close; Mercurius' own close that follows finds the socket closing and does nothing more.
 */
export function refuseAsGraphqlTransportWs(socket: GraphqlSocket): void {
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
