import { z } from 'zod';
import { batchLabelSchema, LABEL_BATCH_MAX, LABEL_BATCH_MAX_BYTES, LABEL_SOURCES, LABEL_VALUES, labelRequestSchema, SAFE_ID } from '@verdict/domain';

/** OpenAPI paths and schemas of labels: what became known about transactions. */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const transactionId = { name: 'transactionId', in: 'path', required: true, schema: { type: 'string', pattern: SAFE_ID.source } };

const label: Schema = {
  type: 'object',
  required: ['schemaVersion', 'labelId', 'transactionId', 'decisionId', 'label', 'source', 'reportedAt', 'recordedBy'],
  properties: {
    schemaVersion: { const: 2, description: 'Labels recorded under version 1 are read as version 2 without merchantId' },
    labelId: { type: 'string' },
    transactionId: { type: 'string' },
    decisionId: { type: 'string', format: 'uuid' },
    merchantId: { type: 'string', description: "The labelled transaction's terminal, copied from its decision (absent on labels recorded before schema version 2)" },
    label: { enum: [...LABEL_VALUES] },
    source: { enum: [...LABEL_SOURCES] },
    reportedAt: { type: 'string', format: 'date-time', description: 'When it became known; "as of T" figures count it from here' },
    amount: { type: 'number', minimum: 0 },
    note: { type: 'string' },
    recordedBy: { type: 'string' },
  },
};

const batchResult: Schema = {
  type: 'object',
  required: ['index', 'status'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    status: { enum: [200, 201, 400, 404, 409] },
    label: ref('TransactionLabelled'),
    problem: ref('Problem'),
  },
};

const count = { type: 'integer', minimum: 0 };

export function labelPaths(): Record<string, unknown> {
  return {
    '/v1/transactions/{transactionId}/labels': {
      post: {
        summary: 'Label a decided transaction (fraud or legitimate), as known from reportedAt on',
        parameters: [transactionId],
        requestBody: { required: true, content: json(ref('LabelRequest')) },
        responses: {
          '201': { description: 'Recorded (TransactionLabelled appended to decision-<transactionId>)', content: json(ref('TransactionLabelled')) },
          '200': { description: 'This labelId with this content was already recorded: nothing new', content: json(ref('TransactionLabelled')) },
          '400': problem('Invalid body (validation-failed)'),
          '404': problem('No decision for this transaction (transaction-not-found)'),
          '409': problem('The labelId is recorded with other content (label-conflict), or other appends kept racing (stream-contention)'),
        },
      },
      get: {
        summary: "A transaction's labels in recorded order, from its stream (no read-model lag)",
        parameters: [transactionId],
        responses: {
          '200': { description: 'The labels', content: json({ type: 'object', required: ['transactionId', 'labels'], properties: { transactionId: { type: 'string' }, labels: { type: 'array', items: ref('TransactionLabelled') } } }) },
          '404': problem('No decision for this transaction (transaction-not-found)'),
        },
      },
    },
    '/v1/labels/batch': {
      post: {
        summary: `Up to ${LABEL_BATCH_MAX.toLocaleString('en-US')} labels at once (a chargeback file), each answered on its own, in order`,
        requestBody: { required: true, description: `JSON, at most ${LABEL_BATCH_MAX_BYTES} bytes`, content: json(ref('LabelBatchRequest')) },
        responses: {
          '200': { description: 'Every label answered at its index', content: json(ref('LabelBatchResponse')) },
          '400': problem('The envelope is invalid (validation-failed): not an object with 1 to 10,000 labels'),
          '413': problem('The body exceeds 8 MiB (payload-too-large)'),
        },
      },
    },
  };
}

export function labelSchemas(): Record<string, unknown> {
  const { $schema: _a, ...request } = z.toJSONSchema(labelRequestSchema, { io: 'input', unrepresentable: 'any' }) as Schema;
  const { $schema: _b, ...batchLabel } = z.toJSONSchema(batchLabelSchema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return {
    LabelRequest: request,
    BatchLabel: batchLabel,
    LabelBatchRequest: { type: 'object', required: ['labels'], additionalProperties: false, properties: { labels: { type: 'array', minItems: 1, maxItems: LABEL_BATCH_MAX, items: ref('BatchLabel') } } },
    LabelBatchResponse: { type: 'object', required: ['created', 'repeated', 'rejected', 'results'], properties: { created: count, repeated: count, rejected: count, results: { type: 'array', items: batchResult } } },
    TransactionLabelled: label,
  };
}
