import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { contractViolations, isExplainedWithoutWrite, type FuzzAnswer } from './answer-contract';
import { nearValid } from './hostile-requests';
import { refResolver, schemaArbitrary, type JsonSchema } from './schema-arbitrary';

const PROBLEM = 'application/problem+json; charset=utf-8';
const answer = (status: number, body: unknown, contentType = PROBLEM): FuzzAnswer => ({ status, contentType, body: typeof body === 'string' ? body : JSON.stringify(body) });
const at = (target: string) => ({ target });

describe('the answer contract the fuzzer checks', () => {
  it('accepts a problem+json 4xx and any 2xx; refuses a 5xx and a missing answer', () => {
    expect(contractViolations(at('/v1/decisions'), answer(404, { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'x' }))).toEqual([]);
    expect(contractViolations(at('/v1/decisions'), answer(201, 'anything', 'text/plain'))).toEqual([]);
    expect(contractViolations(at('/v1/decisions'), answer(503, { type: '/problems/not-ready', title: 't', status: 503, detail: 'd' }))).toEqual(['503 answered']);
    expect(contractViolations(at('/v1/decisions'), { status: 0, contentType: '', body: '', transportError: 'socket hang up' })).toEqual(['no HTTP answer: socket hang up']);
  });

  it("names what a 4xx gets wrong: content type, a missing member, a status that differs, paths that aren't JSON Pointers", () => {
    expect(contractViolations(at('/v1/x'), answer(414, { error: 'Bad Request', statusCode: 414 }, 'application/json'))).toEqual([
      '414 with content-type "application/json", not application/problem+json',
      '414 problem without a string `type`',
      '414 problem without a string `title`',
      '414 problem without a string `detail`',
      '414 problem whose `status` is undefined',
    ]);
    expect(contractViolations(at('/v1/x'), answer(400, { type: '/problems/validation-failed', title: 't', status: 422, detail: 'd', errors: [] }))).toEqual([
      '400 problem whose `status` is 422',
      '400 /problems/validation-failed without errors[]',
    ]);
    const paths = ['/amount', '', '/items/3/cardId', '/a~1b~0c', 'amount', '/bad~2'];
    expect(contractViolations(at('/v1/x'), answer(400, { type: '/problems/validation-failed', title: 't', status: 400, detail: 'd', errors: paths.map((path) => ({ path, message: 'm' })) }))).toEqual([
      '400 errors[].path "amount" is not a JSON Pointer',
      '400 errors[].path "/bad~2" is not a JSON Pointer',
    ]);
  });

  it("expects OIP's { error } on /v2 (query string or not), GraphQL's errors on /graphql, problem+json for a 431 anywhere", () => {
    expect(contractViolations(at('/v2?x=1'), answer(401, { error: 'no key' }, 'application/json'))).toEqual([]);
    expect(contractViolations(at('/v2/models/m/ready'), answer(400, { name: 'm', ready: false }, 'application/json'))).toEqual([]);
    expect(contractViolations(at('/v2/models/m/infer'), answer(400, { name: 'm', ready: false }, 'application/json'))).toEqual(["400 on /v2 without OIP's { error: string }"]);
    expect(contractViolations(at('/graphql'), answer(400, { data: null, errors: [{ message: 'no' }] }, 'application/json'))).toEqual([]);
    expect(contractViolations(at('/graphql'), answer(403, { type: '/problems/forbidden', title: 't', status: 403, detail: 'd' }))).toEqual([]);
    expect(contractViolations(at('/v2/models/m'), answer(431, { type: '/problems/headers-too-large', title: 't', status: 431, detail: 'd' }))).toEqual([]);
  });

  it('lets the access log and a late replay completion follow a refusal, nothing else', () => {
    expect(isExplainedWithoutWrite({ type: 'AccessRecorded', streamId: 'access-2026-12-04', revision: 7n })).toBe(true);
    expect(isExplainedWithoutWrite({ type: 'ReplayCompleted', streamId: 'replay-1', revision: 1n })).toBe(true);
    expect(isExplainedWithoutWrite({ type: 'ReplayRequested', streamId: 'replay-1', revision: 0n })).toBe(false);
    expect(isExplainedWithoutWrite({ type: 'DecisionMade', streamId: 'decision-x', revision: 0n })).toBe(false);
  });
});

describe('the generators', () => {
  const document = {
    components: {
      schemas: {
        Request: {
          type: 'object',
          required: ['id', 'amount', 'when'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
            amount: { type: 'number', minimum: 0, maximum: 1e9 },
            when: { type: 'string', format: 'date-time' },
            channel: { enum: ['pos', 'ecom'] },
            tags: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 5 }, maxItems: 3 },
            extra: { $ref: '#/$defs/json' },
          },
          $defs: { json: { anyOf: [{ type: 'null' }, { type: 'number' }, { type: 'array', items: { $ref: '#/$defs/json' } }] } },
        } as JsonSchema,
      },
    },
  };
  const schema = { $ref: '#/components/schemas/Request' };
  const ajv = addFormats(new Ajv2020({ strict: false }));
  const validate = ajv.compile({ ...document.components.schemas.Request });

  it('make values the schema accepts (pattern, range, format, enum, $ref into $defs)', () => {
    fc.assert(fc.property(schemaArbitrary(schema, refResolver(document)), (value) => validate(value) === true), { seed: 1, numRuns: 300 });
  });

  it('mutate exactly one place of a valid value, and say where', () => {
    const valid = schemaArbitrary(schema, refResolver(document));
    fc.assert(fc.property(nearValid(valid), ({ mutation }) => /^(replace|remove|add) \/[^ ]*/.test(mutation)), { seed: 2, numRuns: 200 });
  });
});
