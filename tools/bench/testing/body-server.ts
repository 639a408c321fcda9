import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BodyServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A real HTTP server on a free port that hands each request's whole body to `answer`, for the load runners' tests. */
export async function startBodyServer(answer: (body: string, res: http.ServerResponse) => void): Promise<BodyServer> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => answer(body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
