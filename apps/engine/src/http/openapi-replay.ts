import { z } from 'zod';
import { replayRequestSchema } from '@verdict/domain';

/** OpenAPI paths and schemas of the auditor's replay. */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

const mismatch: Schema = {
  type: 'object',
  required: ['decisionId', 'position', 'field', 'recorded', 'replayed'],
  properties: {
    decisionId: { type: 'string' },
    position: { type: 'string', pattern: '^\\d+$' },
    field: { type: 'string', description: 'modelOutputs.<name>[i], modelOutputs.<name>.dims|type, score, outcome, reasons, features.<name>' },
    recorded: {},
    replayed: {},
  },
};
const count = { type: 'integer', minimum: 0 };
const report: Schema = {
  type: 'object',
  required: ['selection', 'counts', 'positions', 'models', 'mismatches', 'featureDrift'],
  properties: {
    selection: { type: 'object' },
    counts: {
      type: 'object',
      required: ['decisions', 'identical', 'mismatched', 'modelMissing', 'modelAltered', 'featureDrift'],
      properties: { decisions: count, identical: count, mismatched: count, modelMissing: count, modelAltered: count, featureDrift: count },
    },
    positions: { type: 'object', required: ['first', 'last'], properties: { first: { type: ['string', 'null'] }, last: { type: ['string', 'null'] } } },
    models: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sha256', 'name', 'version', 'decisions', 'status'],
        properties: { sha256: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' }, decisions: count, status: { enum: ['replayed', 'missing', 'altered'] }, detail: { type: 'string' } },
      },
    },
    mismatches: { type: 'array', maxItems: 100, items: mismatch },
    featureDrift: { type: 'object', required: ['byFeature', 'first'], properties: { byFeature: { type: 'object', additionalProperties: count }, first: { type: 'array', maxItems: 100, items: mismatch } } },
  },
};
const replay: Schema = {
  type: 'object',
  required: ['replayId', 'status', 'progress', 'selection', 'requestedAt', 'actor'],
  properties: {
    replayId: { type: 'string', format: 'uuid' },
    status: { enum: ['running', 'completed', 'failed'] },
    progress: { type: 'object', required: ['done', 'total'], properties: { done: count, total: { type: ['integer', 'null'], minimum: 0 } } },
    selection: { type: 'object' },
    requestedAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string' },
    completedAt: { type: 'string', format: 'date-time' },
    reportSha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'sha256 of the report\'s canonical JSON, as recorded in ReplayCompleted' },
    durationMs: count,
    report: ref('ReplayReport'),
    error: { type: 'string' },
  },
};

export function replayPaths(): Record<string, unknown> {
  return {
    '/v1/replays': {
      post: {
        summary: 'Replay recorded decisions bit for bit on the exact model bytes that made them (asynchronous)',
        requestBody: { required: false, content: json(ref('ReplayRequest')) },
        responses: {
          '202': { description: 'Accepted and recorded (ReplayRequested); Location: /v1/replays/{replayId}', content: json({ type: 'object', required: ['replayId', 'status'], properties: { replayId: { type: 'string' }, status: { const: 'running' } } }) },
          '400': problem('Invalid body (validation-failed)'),
        },
      },
    },
    '/v1/replays/{replayId}': {
      get: {
        summary: 'A replay: its status, progress and, once completed, its report',
        parameters: [{ name: 'replayId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: 'The replay', content: json(ref('Replay')) }, '404': problem('No such replay (replay-not-found)') },
      },
    },
  };
}

export function replaySchemas(): Record<string, unknown> {
  const { $schema: _, ...request } = z.toJSONSchema(replayRequestSchema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return { ReplayRequest: request, ReplayReport: report, Replay: replay };
}
