import { ProblemException } from '../http/problem.exception';
import { parseDriftParams } from './drift-params';

const NOW = Date.parse('2026-03-01T10:30:00Z');
const problemOf = (query: Record<string, unknown>) => {
  try {
    parseDriftParams(query, 3600, NOW);
  } catch (e) {
    if (e instanceof ProblemException) return e.document;
    throw e;
  }
  throw new Error('no problem');
};

describe('GET /v1/monitoring/drift parameters', () => {
  it('defaults to the last 24 windows up to the current one, widening the range to whole windows', () => {
    expect(parseDriftParams({ model: 'fraud-demo' }, 3600, NOW)).toEqual({
      model: 'fraud-demo', fromMs: Date.parse('2026-02-28T11:00:00Z'), toMs: Date.parse('2026-03-01T11:00:00Z'), windowSeconds: 3600,
    });
    expect(parseDriftParams({ model: 'm', version: '1.0.0', from: '2026-03-01T00:10:00Z', to: '2026-03-01T05:00:00+00:00', window: '2h' }, 3600, NOW)).toEqual({
      model: 'm', version: '1.0.0', fromMs: Date.parse('2026-03-01T00:00:00Z'), toMs: Date.parse('2026-03-01T06:00:00Z'), windowSeconds: 7200,
    });
    expect(parseDriftParams({ model: 'm', window: '1d' }, 3600, NOW).windowSeconds).toBe(86400);
    expect(parseDriftParams({ model: 'm', window: '7200' }, 3600, NOW).windowSeconds).toBe(7200);
  });

  it('answers 400 invalid-query naming each bad parameter', () => {
    const missing = problemOf({});
    expect(missing).toMatchObject({ status: 400, type: '/problems/invalid-query', errors: [{ path: '/model', message: 'is required' }] });
    expect(problemOf({ model: 'a b', from: 'yesterday', colour: 'red' }).errors!.map((e) => e.path).sort()).toEqual(['/colour', '/from', '/model']);
    expect(problemOf({ model: 'm', window: '90m' }).errors).toEqual([{ path: '/window', message: expect.stringMatching(/multiple of the drift window \(3600 s\)/) }]);
    expect(problemOf({ model: 'm', window: '-1h' }).errors![0]!.path).toBe('/window');
    expect(problemOf({ model: 'm', from: '2026-03-01T10:00:00Z', to: '2026-03-01T09:00:00Z' }).errors).toEqual([{ path: '/to', message: 'must be after from' }]);
    expect(problemOf({ model: 'm', from: '2020-01-01T00:00:00Z' }).errors![0]!.path).toBe('/from');
  });
});
