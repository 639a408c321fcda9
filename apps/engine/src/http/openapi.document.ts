import { z } from 'zod';
import { decisionRequestSchema, DECISION_REQUEST_MAX_BYTES, SAFE_ID } from '@verdict/domain';
import { lifecyclePaths, lifecycleSchemas } from './openapi-lifecycle';
import { labelPaths, labelSchemas } from './openapi-labels';
import { monitoringPaths, monitoringSchemas } from './openapi-monitoring';
import { replayPaths, replaySchemas } from './openapi-replay';
import { reviewPaths, reviewSchemas } from './openapi-reviews';
import { auditPaths, auditSchemas } from './openapi-audit';
import { exportPaths, exportSchemas } from './openapi-exports';
import { graphqlPaths, graphqlSchemas } from './openapi-graphql';
import { driftPaths, driftSchemas } from './openapi-drift';
import { batchPaths, batchSchemas, CORRELATION_ID_PARAMETER } from './openapi-batch';
import { PROBLEM_TYPES } from './problem-types';
import { securityPaths, securitySchemas } from './openapi-security';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** The request schema is generated from the same zod schema that validates requests, so the two can't drift. */
function requestSchema(): Schema {
  const { $schema: _, ...schema } = z.toJSONSchema(decisionRequestSchema, { io: 'input' }) as Schema;
  const props = schema.properties as Record<string, Schema>;
  props.attributes = { ...props.attributes, maxProperties: 50 };
  props.occurredAt = { ...props.occurredAt, format: 'date-time' };
  return schema;
}

const reason: Schema = {
  type: 'object',
  required: ['feature', 'value', 'contribution'],
  additionalProperties: false,
  properties: { feature: { type: 'string' }, value: { type: 'number' }, contribution: { type: 'number' } },
};

const policy: Schema = {
  type: 'object',
  required: ['version', 'reviewThreshold', 'declineThreshold'],
  additionalProperties: false,
  properties: { version: { type: 'string' }, reviewThreshold: { type: 'number' }, declineThreshold: { type: 'number' } },
};

const decisionResponse: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['decisionId', 'transactionId', 'outcome', 'score', 'reasons', 'model', 'policy', 'decidedAt', 'latencyMs', 'position', 'deployment'],
  properties: {
    decisionId: { type: 'string', format: 'uuid' },
    transactionId: { type: 'string' },
    outcome: { enum: ['approve', 'review', 'decline'] },
    score: { type: 'number', minimum: 0, maximum: 1 },
    reasons: { type: 'array', items: reason, maxItems: 5, description: 'Top contributors, most important first' },
    model: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version', 'sha256'],
      properties: { name: { type: 'string' }, version: { type: 'string' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
    },
    policy,
    decidedAt: { type: 'string', format: 'date-time' },
    latencyMs: { type: 'number', minimum: 0, description: 'Features + inference + policy, before the durable append' },
    position: { type: 'integer', minimum: 0, description: "The DecisionMade event's place in the global log" },
    deployment: {
      type: 'object',
      additionalProperties: false,
      required: ['revision', 'arm'],
      description: 'The deployment revision whose routing table scored the request, and the arm that decided',
      properties: { revision: { type: 'integer', minimum: 0 }, arm: { enum: ['champion', 'challenger'] } },
    },
  },
};

const auditRecord: Schema = {
  type: 'object',
  description: 'The DecisionMade event (docs/events.md) plus where and when the store recorded it',
  required: ['schemaVersion', 'decisionId', 'transactionId', 'request', 'requestHash', 'features', 'model', 'modelOutputs', 'score', 'policy', 'outcome', 'reasons', 'explanation', 'decidedAt', 'timings', 'deployment', 'eventId', 'eventType', 'stream', 'revision', 'position', 'recordedAt', 'metadata', 'storedSchemaVersion'],
  properties: {
    schemaVersion: { const: 4, description: 'Always the current version: older events are upcast (see storedSchemaVersion)' },
    storedSchemaVersion: { enum: [1, 2, 3, 4], description: 'The schema version the event was stored in' },
    deployment: {
      type: 'object',
      required: ['revision', 'arm', 'bucket'],
      properties: {
        revision: { type: 'integer', minimum: 0, description: '0 for decisions made before deployments existed' },
        arm: { enum: ['champion', 'challenger'] },
        bucket: { type: ['integer', 'null'], minimum: 0, maximum: 9999 },
        challengerError: { type: 'string', description: 'The canary challenger failed; the champion decided' },
      },
    },
    shadow: { type: 'object', required: ['model', 'policy', 'inferenceMs'], description: "The shadow challenger's verdict on the same request" },
    decisionId: { type: 'string', format: 'uuid' },
    transactionId: { type: 'string' },
    request: {
      ...ref('DecisionRequest'),
      description: 'Personal values (customerId, deviceId, ip, cardId unless card ids are tokens, attributes configured personal) in the clear while the subject is not erased, else "[erased]"',
    },
    storedRequest: { type: 'object', description: 'The request as the log holds it, pseudonyms in place of personal values (present when it differs from `request`); requestHash is taken over it' },
    personal: {
      type: 'object',
      required: ['subject', 'keyId', 'iv', 'data'],
      description: "The personal values sealed (AES-256-GCM) under the data subject's key: stored as is, opened by the engine for `request` (docs/security.md)",
    },
    requestHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    features: {
      type: 'object',
      required: ['names', 'values'],
      properties: { names: { type: 'array', items: { type: 'string' } }, values: { type: 'array', items: { type: 'number' } } },
    },
    featuresAsOf: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'Present when the model read history features: the global log position the history had been applied through (docs/features.md)',
    },
    historyMaxEntities: { type: 'integer', minimum: 1, description: "With featuresAsOf: the history state's bound on entities per kind" },
    model: { type: 'object', required: ['name', 'version', 'sha256', 'inputName', 'outputNames', 'scoreOutput', 'runtime'] },
    modelOutputs: { type: 'object' },
    score: { type: 'number' },
    policy,
    outcome: { enum: ['approve', 'review', 'decline'] },
    reasons: { type: 'array', items: reason },
    explanation: { type: 'object', required: ['method', 'baseline'] },
    decidedAt: { type: 'string', format: 'date-time' },
    timings: { type: 'object', required: ['featuresMs', 'inferenceMs', 'totalMs'] },
    eventId: { type: 'string', format: 'uuid' },
    eventType: { const: 'DecisionMade' },
    stream: { type: 'string' },
    revision: { type: 'integer', minimum: 0 },
    position: { type: 'integer', minimum: 0 },
    recordedAt: { type: 'string', format: 'date-time' },
    metadata: { type: 'object' },
  },
};

const decisionSummary: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['decisionId', 'transactionId', 'streamId', 'position', 'cardId', 'customerId', 'merchantId', 'amount', 'currency', 'channel', 'country', 'outcome', 'score', 'modelName', 'modelVersion', 'modelSha256', 'policyVersion', 'arm', 'deploymentRevision', 'occurredAt', 'decidedAt', 'recordedAt'],
  properties: {
    decisionId: { type: 'string', format: 'uuid' },
    transactionId: { type: 'string' },
    streamId: { type: 'string' },
    position: { type: 'integer', minimum: 0 },
    cardId: { type: 'string' },
    customerId: { type: ['string', 'null'] },
    merchantId: { type: 'string' },
    amount: { type: 'number' },
    currency: { type: 'string' },
    channel: { type: ['string', 'null'] },
    country: { type: ['string', 'null'] },
    outcome: { enum: ['approve', 'review', 'decline'] },
    score: { type: 'number' },
    modelName: { type: 'string' },
    modelVersion: { type: 'string' },
    modelSha256: { type: 'string' },
    policyVersion: { type: 'string' },
    arm: { enum: ['champion', 'challenger'] },
    deploymentRevision: { type: 'integer', minimum: 0 },
    occurredAt: { type: 'string', format: 'date-time' },
    decidedAt: { type: 'string', format: 'date-time' },
    recordedAt: { type: 'string', format: 'date-time' },
  },
};

const decisionPage: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: { items: { type: 'array', items: ref('DecisionSummary') }, nextCursor: { type: ['string', 'null'] } },
};

const problem: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', enum: Object.keys(PROBLEM_TYPES).map((c) => `/problems/${c}`).concat('about:blank') },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string', description: 'JSON Pointer into the body or query' }, message: { type: 'string' } } },
    },
  },
};

const listParam = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, schema, description });
/** A path parameter; with `pattern`, what the route can find (anything else is answered 404). */
const pathParam = (name: string, pattern?: RegExp) => ({ name, in: 'path', required: true, schema: { type: 'string', ...(pattern && { pattern: pattern.source }) } });

/** OpenAPI 3.1 description of the engine's HTTP API, served at GET /openapi.json. */
export function openApiDocument(version: string): Schema {
  return {
    openapi: '3.1.0',
    info: { title: 'Verdict decision engine', version, description: 'Event-sourced ML decisions: every answer is durably recorded before it is sent.' },
    paths: {
      '/v1/decisions': {
        post: {
          summary: 'Decide on a transaction',
          parameters: [CORRELATION_ID_PARAMETER],
          requestBody: { required: true, description: `JSON, at most ${DECISION_REQUEST_MAX_BYTES} bytes`, content: json(ref('DecisionRequest')) },
          responses: {
            '201': { description: 'A new decision, recorded before this answer', content: json(ref('DecisionResponse')) },
            '200': { description: 'A retry of the same request: the original decision (header Idempotent-Replayed: true)', content: json(ref('DecisionResponse')) },
            '400': problemResponse('Invalid or malformed body (validation-failed, malformed-json)'),
            '409': problemResponse('Same transactionId, different request (idempotency-conflict)'),
            '413': problemResponse('Body over 64 KiB'),
            '415': problemResponse('Not application/json'),
            '422': problemResponse('The champion model gave this valid request no finite score (unscorable-request): nothing was recorded'),
            '503': problemResponse('event-store-unavailable or history-unavailable: the decision could not be recorded, nothing was made; append-outcome-unknown: the store was lost while recording it, so it may have been recorded (retry the same body: the answer is what was recorded)'),
          },
        },
        get: {
          summary: 'Decision history from the read model, newest first',
          parameters: [
            listParam('cardId', { type: 'string' }, 'Only this card'),
            listParam('customerId', { type: 'string' }, 'Only this customer'),
            listParam('merchantId', { type: 'string' }, 'Only this merchant'),
            listParam('outcome', { enum: ['approve', 'review', 'decline'] }, 'Only this outcome'),
            listParam('model', { type: 'string' }, 'Only decisions by this model'),
            listParam('modelVersion', { type: 'string' }, 'Only this version of `model`'),
            listParam('arm', { enum: ['champion', 'challenger'] }, 'Only decisions by this deployment arm'),
            listParam('from', { type: 'string', format: 'date-time' }, 'decidedAt ≥ from'),
            listParam('to', { type: 'string', format: 'date-time' }, 'decidedAt < to'),
            listParam('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }, 'Page size'),
            listParam('cursor', { type: 'string' }, 'nextCursor of the previous page'),
          ],
          responses: {
            '200': { description: 'One page', content: json(ref('DecisionPage')) },
            '400': problemResponse('Invalid query (invalid-query)'),
          },
        },
      },
      '/v1/decisions/{decisionId}': {
        get: { summary: 'The full audit record of a decision', parameters: [pathParam('decisionId', SAFE_ID)], responses: { '200': { description: 'Audit record', content: json(ref('DecisionAuditRecord')) }, '404': problemResponse('Unknown decision') } },
      },
      '/v1/transactions/{transactionId}/decision': {
        get: { summary: "A transaction's decision, read from the event store", parameters: [pathParam('transactionId', SAFE_ID)], responses: { '200': { description: 'Audit record', content: json(ref('DecisionAuditRecord')) }, '404': problemResponse('No decision for this transaction') } },
      },
      '/health/live': { get: { summary: 'Liveness, with each supervised component', responses: { '200': { description: 'The process serves HTTP and every supervised component is up or restarting' }, '503': { description: 'A supervised component could not be restarted: restart the process' } } } },
      '/health/ready': { get: { summary: 'Readiness, with projection lag', responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text/plain exposition format' } } } },
      '/problems': { get: { summary: 'Every problem type, with what it means', responses: { '200': { description: '{ code: { status, title, description } }' } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/problems/{code}': { get: { summary: 'What a problem type means', parameters: [pathParam('code')], responses: { '200': { description: 'Description' }, '404': problemResponse('Unknown problem type') } } },
      ...batchPaths(),
      ...lifecyclePaths(),
      ...replayPaths(),
      ...labelPaths(),
      ...reviewPaths(),
      ...monitoringPaths(),
      ...auditPaths(),
      ...exportPaths(),
      ...graphqlPaths(),
      ...driftPaths(),
      ...securityPaths(),
    },
    components: {
      schemas: {
        DecisionRequest: requestSchema(),
        DecisionResponse: decisionResponse,
        DecisionAuditRecord: auditRecord,
        DecisionSummary: decisionSummary,
        DecisionPage: decisionPage,
        Problem: problem,
        ...batchSchemas(),
        ...lifecycleSchemas(),
        ...replaySchemas(),
        ...labelSchemas(),
        ...reviewSchemas(),
        ...monitoringSchemas(),
        ...auditSchemas(),
        ...exportSchemas(),
        ...securitySchemas(),
        ...graphqlSchemas(),
        ...driftSchemas(),
      },
    },
  };
}
