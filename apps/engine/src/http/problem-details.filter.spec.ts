import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { AppendOutcomeUnknownError, EventStoreUnavailableError } from '@verdict/event-store';
import { callerCorrelationId, recordedCorrelationId } from './correlation-id';
import { sendProblem } from './problem-details.filter';
import { ProblemException } from './problem.exception';

/** A route that goes to record a command (its correlation id chosen, as the decision routes do), then fails with `error`. */
async function failingCommand(error: () => Error): Promise<FastifyInstance> {
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
  await app.ready();
  return app;
}

describe('X-Correlation-Id on error answers', () => {
  const maybeRecorded: [string, () => Error][] = [
    ['append-outcome-unknown', () => new AppendOutcomeUnknownError('the writer thread died')],
    ['request-timeout', () => new ProblemException('request-timeout', 'No answer within 40 ms.')],
  ];

  it.each(maybeRecorded)('a %s answer names the id made up for the command, which it may be recorded under', async (type, error) => {
    const app = await failingCommand(error);
    const res = await app.inject({ method: 'POST', url: '/command', payload: {} });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ type: `/problems/${type}` });
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    // With the caller's own id, that one: it is what the command was recorded under.
    const own = await app.inject({ method: 'POST', url: '/command', payload: {}, headers: { 'x-correlation-id': 'order-7' } });
    expect(own.headers['x-correlation-id']).toBe('order-7');
    await app.close();
  });

  it('an answer that recorded nothing names no made-up id, only the caller\'s own', async () => {
    const app = await failingCommand(() => new EventStoreUnavailableError('the store is down'));
    const down = await app.inject({ method: 'POST', url: '/command', payload: {} });
    expect(down.json()).toMatchObject({ type: '/problems/event-store-unavailable' });
    expect(down.headers['x-correlation-id']).toBeUndefined();
    expect((await app.inject({ method: 'POST', url: '/command', payload: {}, headers: { 'x-correlation-id': 'order-8' } })).headers['x-correlation-id']).toBe('order-8');
    expect((await app.inject({ method: 'POST', url: '/refused', payload: {} })).headers['x-correlation-id']).toBeUndefined();
    // A timeout before the command had an id (nothing could be recorded yet) makes none up either.
    const early = await app.inject({ method: 'POST', url: '/timed-out-first', payload: {} });
    expect(early.json()).toMatchObject({ type: '/problems/request-timeout' });
    expect(early.headers['x-correlation-id']).toBeUndefined();
    await app.close();
  });
});
