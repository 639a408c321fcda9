import { DECISION_BATCH_MAX, DECISION_BATCH_MAX_BYTES, SAFE_ID } from '@verdict/domain';

/** X-Correlation-Id on the decision commands (POST /v1/decisions and its batch): what it records and what comes back. */
export const CORRELATION_ID_PARAMETER = {
  name: 'X-Correlation-Id',
  in: 'header',
  required: false,
  description:
    'Your id for this command: recorded in the metadata of the events it makes, and answered in the X-Correlation-Id response header (errors and replays included). ' +
    'Without it, the answer names the id the command was recorded under (a new one, or a replay\'s original; a batch, the id of the items it recorded now); ' +
    'a 503 that says the command may have been recorded (append-outcome-unknown, request-timeout) names the id it would be recorded under; an answer that recorded nothing names none. ' +
    "A batch's decided items each name the id their decision was recorded under in their result (correlationId), whatever this header says.",
  schema: { type: 'string', pattern: SAFE_ID.source },
} as const;

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** POST /v1/decisions/batch. */
export function batchPaths(): Record<string, unknown> {
  return {
    '/v1/decisions/batch': {
      post: {
        summary: `Decide on up to ${DECISION_BATCH_MAX} transactions at once, each with a single command's semantics, answered in order`,
        description:
          'One model run per model and one group-committed append for the whole batch; answered once every new decision in it is durable. ' +
          'Each item gets the status a single POST /v1/decisions would have had: 201 new, 200 a retry with the same body, 409 another body, ' +
          '400 invalid (its errors point into the batch, e.g. /items/3/amount), 413 larger than a single request may be (64 KiB as compact JSON), ' +
          '422 unscorable-request (the champion gave it no finite score). An item refused so writes nothing and stops no other.',
        parameters: [CORRELATION_ID_PARAMETER],
        requestBody: { required: true, description: `JSON, at most ${DECISION_BATCH_MAX_BYTES} bytes`, content: json(ref('DecisionBatchRequest')) },
        responses: {
          '200': { description: 'Every item answered at its index', content: json(ref('DecisionBatchResponse')) },
          '400': problem(`The envelope is invalid (validation-failed, malformed-json): not an object with 1 to ${DECISION_BATCH_MAX} items`),
          '413': problem('The body exceeds 8 MiB (payload-too-large)'),
          '415': problem('Not application/json'),
          '503': problem('The event store failed, or the history features the model reads are unavailable: no item of this batch may be taken as decided (a retry of the same batch is safe). With append-outcome-unknown some items may have been recorded: the retry answers them with what was recorded'),
        },
      },
    },
  };
}

export function batchSchemas(): Record<string, unknown> {
  const status = (values: number[]) => ({ type: 'integer', enum: values });
  return {
    DecisionBatchRequest: {
      type: 'object',
      required: ['items'],
      additionalProperties: false,
      properties: { items: { type: 'array', minItems: 1, maxItems: DECISION_BATCH_MAX, items: ref('DecisionRequest') } },
    },
    DecisionBatchResponse: {
      type: 'object',
      required: ['results'],
      properties: {
        results: {
          type: 'array',
          items: {
            oneOf: [
              {
                type: 'object',
                required: ['index', 'status', 'decision'],
                properties: {
                  index: { type: 'integer' },
                  status: status([200, 201]),
                  decision: ref('DecisionResponse'),
                  correlationId: {
                    type: 'string',
                    description: "The correlation id this decision was recorded under: the batch's for a 201, the original request's for a 200 (absent if it had none)",
                  },
                },
              },
              { type: 'object', required: ['index', 'status', 'problem'], properties: { index: { type: 'integer' }, status: { type: 'integer', minimum: 400 }, problem: ref('Problem') } },
            ],
          },
        },
      },
    },
  };
}
