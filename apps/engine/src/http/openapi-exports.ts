/** OpenAPI paths and schemas of the auditor's reads: a decision's context and the bulk export (docs/audit.md). */
import { SAFE_ID } from '@verdict/domain';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, schema, description });
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const decimal = { type: 'string', pattern: '^(0|[1-9][0-9]*)$' };

const seal: Schema = {
  type: 'object',
  required: ['index', 'sealHash', 'fromPosition', 'toPosition', 'sealedAt', 'keyId'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    sealHash: hex64,
    fromPosition: { ...decimal, description: 'Exclusive' },
    toPosition: { ...decimal, description: 'Inclusive' },
    sealedAt: { type: 'string' },
    keyId: { type: 'string' },
  },
};

const label: Schema = {
  type: 'object',
  required: ['labelId', 'label', 'source', 'reportedAt'],
  properties: {
    labelId: { type: 'string' },
    label: { enum: ['fraud', 'legitimate'] },
    source: { type: 'string' },
    reportedAt: { type: 'string' },
    amount: { type: 'number' },
    note: { type: 'string' },
  },
};

const decisionContext: Schema = {
  type: 'object',
  required: ['decision', 'deployment', 'model', 'policy', 'labels', 'seal', 'sealing', 'card'],
  properties: {
    decision: ref('DecisionAuditRecord'),
    deployment: {
      type: 'object',
      required: ['at', 'revision', 'champion', 'standby', 'challenger', 'policy', 'since', 'events'],
      description: 'The deployment the decision was made under (the state its recorded deployment.revision made), shown at decision.decidedAt',
      properties: { at: { type: 'string', format: 'date-time' }, revision: { type: 'integer', minimum: 0 }, events: { type: 'array', items: { type: 'object' } } },
    },
    model: {
      type: ['object', 'null'],
      required: ['name', 'version', 'sha256', 'servedSha256', 'registeredAt', 'matchesDecision', 'manifest', 'metrics'],
      description: 'The registered version that decided; null when the registry never saw it',
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        sha256: hex64,
        servedSha256: hex64,
        registeredAt: { type: 'string' },
        matchesDecision: { type: 'boolean', description: 'Its served bytes are the ones the decision records' },
        manifest: { type: 'object' },
        metrics: { description: "The model card's figures (manifest.metrics), or null" },
      },
    },
    policy: { type: 'object', required: ['version', 'reviewThreshold', 'declineThreshold'], description: 'As recorded in the decision' },
    labels: { type: 'array', items: label, description: 'TransactionLabelled events of the transaction, in stream order' },
    seal: { oneOf: [seal, { type: 'null' }], description: 'The seal covering the decision; null when not sealed yet' },
    sealing: {
      type: ['object', 'null'],
      required: ['sealedThrough', 'nextSealDueBy'],
      properties: { sealedThrough: decimal, nextSealDueBy: { type: 'string' } },
      description: 'Where sealing stands; null in an engine without a seal index',
    },
    card: {
      type: 'object',
      required: ['cardId', 'before', 'after'],
      properties: {
        cardId: { type: 'string' },
        before: { type: 'array', maxItems: 10, items: ref('DecisionSummary'), description: 'Oldest first, ending just before the decision' },
        after: { type: 'array', maxItems: 10, items: ref('DecisionSummary'), description: 'Oldest first, starting just after it' },
      },
    },
  },
};

export function exportPaths(): Schema {
  return {
    '/v1/decisions/{decisionId}/context': {
      get: {
        summary: "Everything about one decision: the deployment then, the model card, policy, labels, seal and the card's neighbours",
        description: 'Answers 200 as soon as a 201 for the decision has been sent, whether or not the read model has applied it.',
        parameters: [{ name: 'decisionId', in: 'path', required: true, schema: { type: 'string', pattern: SAFE_ID.source } }],
        responses: {
          '200': { description: 'The context', content: { 'application/json': { schema: ref('DecisionContext') } } },
          '404': problem('Unknown decision (decision-not-found)'),
        },
      },
    },
    '/v1/exports/decisions': {
      get: {
        summary: 'Decisions from the event store in position order, with their seals, streamed as JSONL or CSV',
        parameters: [
          query('format', { enum: ['jsonl', 'csv'], default: 'jsonl' }, 'JSONL: the whole DecisionMade plus position and seal per line; CSV: the columns of docs/audit.md'),
          query('from', { type: 'string', format: 'date-time' }, 'decidedAt ≥ from'),
          query('to', { type: 'string', format: 'date-time' }, 'decidedAt < to'),
          query('cardId', { type: 'string' }, 'Only this card'),
          query('customerId', { type: 'string' }, 'Only this customer'),
          query('merchantId', { type: 'string' }, 'Only this merchant'),
          query('outcome', { enum: ['approve', 'review', 'decline'] }, 'Only this outcome'),
          query('model', { type: 'string' }, 'Only decisions by this model'),
          query('modelVersion', { type: 'string' }, 'Only this version of `model`'),
          query('arm', { enum: ['champion', 'challenger'] }, 'Only decisions by this deployment arm'),
        ],
        responses: {
          '200': {
            description: 'The export, streamed (chunked). A response that ends without its final chunk was cut off by a store error: it is incomplete.',
            headers: {
              'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="verdict-decisions_<from>_<to>.<format>"' },
              'Verdict-Expected-Rows': { schema: { type: 'integer', minimum: 0 }, description: 'Matching decisions the read model held at the start: a lower bound, for progress' },
            },
            content: {
              'application/jsonl': { schema: { type: 'string' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          '400': problem('A parameter is malformed, unknown or out of range (invalid-query); errors[].path names it'),
        },
      },
    },
  };
}

export function exportSchemas(): Schema {
  return { DecisionContext: decisionContext, SealReference: seal, TransactionLabel: label };
}
