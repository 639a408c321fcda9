import { ALERT_TYPES } from '@verdict/domain';

/** OpenAPI paths and schemas of model performance and alerts. */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, schema, description });
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } });
const instant = { type: 'string', format: 'date-time' };
const share = { type: ['number', 'null'], minimum: 0, maximum: 1 };
const count = { type: 'integer', minimum: 0 };

const figures: Schema = {
  type: 'object',
  required: ['decisions', 'labelled', 'labelCoverage', 'confusion', 'precision', 'recall', 'falsePositiveRate', 'declineRate', 'reviewRate', 'rocAuc', 'fraudAmount'],
  properties: {
    decisions: count,
    labelled: { type: 'object', required: ['fraud', 'legitimate'], properties: { fraud: count, legitimate: count } },
    labelCoverage: share,
    confusion: {
      type: 'object',
      required: ['declinedFraud', 'declinedLegitimate', 'approvedFraud', 'approvedLegitimate', 'reviewedFraud', 'reviewedLegitimate'],
      properties: { declinedFraud: count, declinedLegitimate: count, approvedFraud: count, approvedLegitimate: count, reviewedFraud: count, reviewedLegitimate: count },
    },
    precision: share,
    recall: share,
    falsePositiveRate: share,
    declineRate: share,
    reviewRate: share,
    rocAuc: share,
    fraudAmount: { type: 'object', required: ['caught', 'reviewed', 'missed'], properties: { caught: { type: 'number' }, reviewed: { type: 'number' }, missed: { type: 'number' } } },
  },
};
const gap = { type: ['number', 'null'] };
const report: Schema = {
  type: 'object',
  required: ['model', 'window', 'overall', 'byArm', 'byDay', 'card', 'againstCard'],
  properties: {
    model: { type: 'object', required: ['name', 'version', 'sha256'], properties: { name: { type: 'string' }, version: { type: 'string' }, sha256: { type: 'string' } } },
    window: {
      type: 'object',
      required: ['from', 'to', 'asOf', 'arm', 'unlabelled'],
      properties: { from: instant, to: instant, asOf: instant, arm: { type: ['string', 'null'] }, unlabelled: { enum: ['legitimate', 'excluded'] } },
    },
    overall: ref('PerformanceFigures'),
    byArm: { type: 'object', additionalProperties: ref('PerformanceFigures') },
    byDay: { type: 'array', items: { type: 'object', required: ['day', 'figures'], properties: { day: { type: 'string', format: 'date' }, figures: ref('PerformanceFigures') } } },
    card: {
      type: 'object',
      required: ['precision', 'recall', 'falsePositiveRate', 'rocAuc', 'source'],
      properties: { precision: share, recall: share, falsePositiveRate: share, rocAuc: share, source: { type: ['string', 'null'] } },
    },
    againstCard: { type: 'object', required: ['precision', 'recall', 'falsePositiveRate', 'rocAuc'], properties: { precision: gap, recall: gap, falsePositiveRate: gap, rocAuc: gap } },
  },
};
const alert: Schema = {
  type: 'object',
  required: ['alertId', 'type', 'model', 'version', 'raisedAt', 'position', 'summary', 'data'],
  properties: {
    alertId: { type: 'string' },
    type: { enum: [...ALERT_TYPES] },
    model: { type: ['string', 'null'] },
    version: { type: ['string', 'null'] },
    raisedAt: instant,
    position: { type: 'string', pattern: '^\\d+$' },
    summary: { type: 'string' },
    data: { type: 'object', description: "The alert event's data (docs/events.md)" },
  },
};

export function monitoringPaths(): Record<string, unknown> {
  return {
    '/v1/models/{name}/versions/{version}/performance': {
      get: {
        summary: "A model version's performance against labels as known at asOf, per arm and day, beside its card",
        parameters: [
          path('name'),
          path('version'),
          query('from', instant, 'decidedAt ≥ from (default: 30 days before to)'),
          query('to', instant, 'decidedAt < to (default: now)'),
          query('arm', { enum: ['champion', 'challenger'] }, 'Only this deployment arm'),
          query('asOf', instant, 'Count only labels reported at or before this instant (default: now)'),
          query('unlabelled', { enum: ['legitimate', 'excluded'], default: 'legitimate' }, 'How a decision with no label as of asOf counts'),
        ],
        responses: {
          '200': { description: 'The figures', content: json(ref('PerformanceReport')) },
          '400': problem('Invalid query (invalid-query) or model id (invalid-model-id)'),
          '404': problem('No such version (model-version-not-found)'),
        },
      },
    },
    '/v1/alerts': {
      get: {
        summary: 'Alerts (DriftDetected, PerformanceDegraded, ChallengerRolledBack), newest first',
        parameters: [
          query('type', { enum: [...ALERT_TYPES] }, 'Only this type'),
          query('model', { type: 'string' }, 'Only this model'),
          query('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }, 'Page size'),
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
        ],
        responses: {
          '200': { description: 'One page', content: json({ type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref('Alert') }, nextCursor: { type: ['string', 'null'] } } }) },
          '400': problem('Invalid query (invalid-query)'),
        },
      },
    },
  };
}

export function monitoringSchemas(): Record<string, unknown> {
  return { PerformanceFigures: figures, PerformanceReport: report, Alert: alert };
}
