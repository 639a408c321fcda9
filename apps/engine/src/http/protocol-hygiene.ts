import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { ProblemException } from './problem.exception';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemCode } from './problem-types';

/**
 * Requests that never reach a route keep the problem+json contract too.
 *
 * - A body with a `Content-Encoding` other than identity is refused (415) before it is parsed: the engine decompresses
 *   nothing, and a compressed body read as JSON would be decided on, or misreported.
 * - What Node's HTTP parser refuses before Fastify sees a request (headers over the limit, a broken request line) is
 *   answered as problem+json on the socket, then the connection closes, as Node does by default with plain text.
 */
export function installProtocolHygiene(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding === undefined) return;
    const codings = (Array.isArray(encoding) ? encoding.join(',') : encoding).split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
    if (codings.every((c) => c === 'identity')) return;
    throw new ProblemException('unsupported-content-encoding', `Content-Encoding "${codings.join(', ')}" is not supported: send the body uncompressed.`);
  });
}

/** Fastify's `clientErrorHandler`: Node's parser errors as problem+json. */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (error, socket) => {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable) {
    socket.destroy();
    return;
  }
  const which: ProblemCode = code === 'HPE_HEADER_OVERFLOW' ? 'headers-too-large' : 'malformed-request';
  const detail =
    which === 'headers-too-large'
      ? 'The request headers exceed the server limit. Send fewer or shorter headers.'
      : `The request could not be parsed as HTTP/1.1 (${code ?? 'parse error'}).`;
  writeProblemAndClose(socket, which, detail);
};

function writeProblemAndClose(socket: Socket, code: ProblemCode, detail: string): void {
  const doc = problem(code, detail);
  const body = JSON.stringify(doc);
  const reason = doc.title.replace(/[^\x20-\x7e]/g, '');
  socket.end(
    `HTTP/1.1 ${doc.status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
