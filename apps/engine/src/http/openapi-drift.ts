/** OpenAPI path and schemas of drift monitoring (docs/monitoring.md). */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const query = (name: string, schema: Schema, description: string, required = false) => ({ name, in: 'query', required, schema, description });
const timeWindow: Schema = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time', description: 'Exclusive' } },
};

const baseline: Schema = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  description: "What the version's traffic is compared with",
  properties: {
    kind: { enum: ['training', 'first-window'], description: "training: the manifest's training statistics; first-window: the version's first window with enough decisions" },
    window: { ...timeWindow, description: 'first-window only: the window the baseline was taken from' },
    decisions: { type: 'integer', minimum: 0, description: 'first-window only: its decisions' },
  },
};

const seriesDrift: Schema = {
  type: 'object',
  required: ['feature', 'psi', 'ks', 'threshold', 'breached'],
  additionalProperties: false,
  properties: {
    feature: { type: 'string', description: 'A feature name, or "score"' },
    psi: { type: 'number', minimum: 0, description: 'Population stability index against the baseline, over its bins' },
    ks: { type: 'number', minimum: 0, maximum: 1, description: 'Two-sample Kolmogorov–Smirnov statistic of the binned distributions' },
    threshold: { type: ['number', 'null'], description: 'PSI limit; null: the series is switched off (reported, never judged)' },
    breached: { type: 'boolean', description: 'Judged and psi > threshold' },
  },
};

const driftWindow: Schema = {
  type: 'object',
  required: ['from', 'to', 'closed', 'decisions', 'judged', 'features'],
  additionalProperties: false,
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time', description: 'Exclusive' },
    closed: { type: 'boolean', description: 'The window has ended (plus a short grace): its figures are final' },
    decisions: { type: 'integer', minimum: 1 },
    judged: { type: 'boolean', description: 'It has at least minDecisions, there is a baseline, and it is not the baseline window itself' },
    features: { type: 'array', items: seriesDrift, description: 'Per feature in input order, then the score; empty without a baseline' },
  },
};

const driftReport: Schema = {
  type: 'object',
  required: ['model', 'from', 'to', 'windowSeconds', 'minDecisions', 'versions'],
  additionalProperties: false,
  properties: {
    model: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    windowSeconds: { type: 'integer', minimum: 1 },
    minDecisions: { type: 'integer', minimum: 1, description: 'Decisions a window needs to be judged' },
    versions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'baseline', 'windows'],
        additionalProperties: false,
        properties: {
          version: { type: 'string' },
          baseline: { oneOf: [baseline, { type: 'null' }], description: 'null while a version without training statistics has had no full window' },
          windows: { type: 'array', items: driftWindow, description: 'Windows with decisions, oldest first' },
        },
      },
    },
  },
};

export function driftPaths(): Schema {
  return {
    '/v1/monitoring/drift': {
      get: {
        summary: "Data drift per window: each feature's and the score's PSI and KS against the version's baseline",
        parameters: [
          query('model', { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }, 'The model', true),
          query('version', { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }, 'One version (default: every version with drift data)'),
          query('from', { type: 'string', format: 'date-time' }, 'Windows starting at or after (widened to a whole window); default: 24 windows before `to`'),
          query('to', { type: 'string', format: 'date-time' }, 'Windows starting before (widened to a whole window); default: now'),
          query('window', { type: 'string', pattern: '^[1-9][0-9]{0,6}[smhd]?$' }, 'Window width, a multiple of VERDICT_DRIFT_WINDOW_SECONDS (default that): 3600, 90m, 6h, 1d'),
        ],
        responses: {
          '200': { description: 'Figures per version and window', content: { 'application/json': { schema: ref('DriftReport') } } },
          '400': problem('A parameter is malformed, unknown or out of range (invalid-query); errors[].path names it'),
          '404': problem('No version of the model is known (model-not-found), or not that version (model-version-not-found)'),
        },
      },
    },
  };
}

export function driftSchemas(): Schema {
  return { DriftReport: driftReport, DriftBaseline: baseline, DriftWindow: driftWindow };
}
