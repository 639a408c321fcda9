import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { AppendOutcomeUnknownError, EventStoreUnavailableError } from '@verdict/event-store';
import { callerCorrelationId, recordedCorrelationId } from './correlation-id';
import { sendProblem } from './problem-details.filter';
import { ProblemException } from './problem.exception';

/**
 * A server on a real port whose route goes to record a command (its correlation id chosen, as the decision routes do),
 * then fails with `error`.
 */
async function failingCommand(error: () => Error): Promise<{ app: FastifyInstance; post: (path: string, headers?: Record<string, string>) => Promise<Response> }> {
  const app = Fastify();
  app.post('/command', async (req) => {
    recordedCorrelationId(req, callerCorrelationId(req));
    throw error();
  });
  app.post('/refused', async () => {
    throw new ProblemException('validation-failed', 'The request has 1 invalid field(s).');
  });
  app.post('/timed-out-first', async () => {
    throw new ProblemException('request-timeout', 'No answer within 40 ms.');
  });
  app.setErrorHandler((error, req, reply) => sendProblem(pino({ level: 'silent' }), error, req, reply));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  return { app, post };
}

describe('X-Correlation-Id on error answers', () => {
  const maybeRecorded: [string, () => Error][] = [
    ['append-outcome-unknown', () => new AppendOutcomeUnknownError('the writer thread died')],
    ['request-timeout', () => new ProblemException('request-timeout', 'No answer within 40 ms.')],
  ];

  it.each(maybeRecorded)('a %s answer names the id made up for the command, which it may be recorded under', async (type, error) => {
    const { app, post } = await failingCommand(error);
    const res = await post('/command');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ type: `/problems/${type}` });
    expect(res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    // With the caller's own id, that one: it is what the command was recorded under.
    const own = await post('/command', { 'x-correlation-id': 'order-7' });
    expect(own.headers.get('x-correlation-id')).toBe('order-7');
    await app.close();
  });

  it('an answer that recorded nothing names no made-up id, only the caller\'s own', async () => {
    const { app, post } = await failingCommand(() => new EventStoreUnavailableError('the store is down'));
    const down = await post('/command');
    expect(await down.json()).toMatchObject({ type: '/problems/event-store-unavailable' });
    expect(down.headers.get('x-correlation-id')).toBeNull();
    expect((await post('/command', { 'x-correlation-id': 'order-8' })).headers.get('x-correlation-id')).toBe('order-8');
    expect((await post('/refused')).headers.get('x-correlation-id')).toBeNull();
    // A timeout before the command had an id (nothing could be recorded yet) makes none up either.
    const early = await post('/timed-out-first');
    expect(await early.json()).toMatchObject({ type: '/problems/request-timeout' });
    expect(early.headers.get('x-correlation-id')).toBeNull();
    await app.close();
  });
});
