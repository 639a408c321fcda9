import { z } from 'zod';
import { modelManifestSchema, SAFE_ID } from '@verdict/domain';
import { DEPLOYMENT_BODIES } from '../deployment/deployment-bodies';

/** OpenAPI paths and schemas of the model registry, the deployment and raw inference (OIP v2). */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const oipError = (description: string) => ({ description, content: json({ type: 'object', required: ['error'], properties: { error: { type: 'string' } } }) });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } });
const fromZod = (schema: z.ZodType): Schema => {
  const { $schema: _, ...out } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return out;
};

const tensorSpec: Schema = {
  type: 'object',
  required: ['name', 'elementType', 'shape'],
  properties: { name: { type: 'string' }, elementType: { type: 'string' }, shape: { type: 'array', items: { type: ['integer', 'string', 'null'] } } },
};
const registration: Schema = {
  type: 'object',
  required: ['name', 'version', 'sha256', 'servedSha256', 'sizeBytes', 'rewrites', 'signature', 'manifest', 'registeredAt', 'registeredBy'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'The uploaded bytes' },
    servedSha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'The bytes the runtime loads (differs after a ZipMap rewrite)' },
    sizeBytes: { type: 'integer', minimum: 1 },
    rewrites: { type: 'array', items: { enum: ['zipmap'] } },
    signature: { type: 'object', required: ['inputs', 'outputs'], properties: { inputs: { type: 'array', items: tensorSpec }, outputs: { type: 'array', items: tensorSpec } } },
    manifest: ref('ModelManifest'),
    registeredAt: { type: 'string', format: 'date-time' },
    registeredBy: { type: 'string' },
  },
};
const deployedModel: Schema = { type: 'object', required: ['name', 'version', 'sha256', 'servedSha256'] };
const deployment: Schema = {
  type: 'object',
  required: ['revision', 'champion', 'standby', 'challenger', 'policy', 'since'],
  properties: {
    revision: { type: 'integer', minimum: 0, description: 'Also the ETag: send it back in If-Match' },
    champion: { oneOf: [deployedModel, { type: 'null' }] },
    standby: { type: ['object', 'null'], required: ['model', 'policy'] },
    challenger: { type: ['object', 'null'], required: ['deploymentId', 'model', 'mode', 'trafficPercent', 'routingKey', 'policy', 'analysis', 'since'] },
    policy: { type: ['object', 'null'], required: ['version', 'reviewThreshold', 'declineThreshold'] },
    since: { type: ['string', 'null'], format: 'date-time' },
  },
};
const oipTensor: Schema = {
  type: 'object',
  required: ['name', 'shape', 'datatype', 'data'],
  properties: {
    name: { type: 'string' },
    shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
    datatype: { enum: ['BOOL', 'INT32', 'INT64', 'FP32', 'FP64', 'BYTES'] },
    data: { type: 'array', description: 'Row-major, flat or nested; non-finite floats as "NaN", "Infinity", "-Infinity"' },
    parameters: { type: 'object' },
  },
};

const change = (summary: string, body: Schema) => ({
  summary,
  parameters: [{ name: 'If-Match', in: 'header', required: false, schema: { type: 'string', pattern: '^"\\d+"$' }, description: 'The revision read; 412 if it is no longer current' }],
  requestBody: { required: true, content: json(body) },
  responses: {
    '200': { description: 'The new state, in force on this instance (header ETag: "<revision>")', content: json(ref('Deployment')) },
    '400': problem('Invalid body (validation-failed)'),
    '404': problem('Unknown model version (model-version-not-found)'),
    '409': problem('The change does not fit the deployment (deployment-rule, model-version-retired), or another change landed first (deployment-conflict)'),
    '412': problem('If-Match is stale (precondition-failed)'),
    '422': problem('The version cannot decide (model-not-deployable), cannot load or score a trial batch (model-unusable), or the change cannot be applied (invalid-deployment-change)'),
  },
});

const versionPaths = (suffix: string, extra: Schema[] = []) => ({ params: [pathParam('name'), ...extra], suffix });

export function lifecyclePaths(): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/v1/models': { get: { summary: 'Every registered model and its versions (read model)', responses: { '200': { description: 'Models' } } } },
    '/v1/models/{name}': {
      get: { summary: 'A model: every version', parameters: [pathParam('name')], responses: { '200': { description: 'The model' }, '404': problem('No such model (model-not-found)') } },
    },
    '/v1/models/{name}/versions/{version}': {
      post: {
        summary: 'Register a model version',
        parameters: [pathParam('name'), pathParam('version')],
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: { type: 'object', required: ['model'], properties: { model: { type: 'string', format: 'binary' }, manifest: ref('ModelManifest') } },
            },
          },
        },
        responses: {
          '201': { description: 'Registered', content: json(registration) },
          '200': { description: 'The same bytes and manifest again: the original registration', content: json(registration) },
          '400': problem('Malformed upload or manifest (invalid-model-upload, validation-failed, invalid-model-id)'),
          '409': problem('The version exists with other bytes or another manifest (model-version-exists)'),
          '413': problem('The model exceeds VERDICT_MODEL_MAX_BYTES'),
          '415': problem('Not multipart/form-data'),
          '422': problem('It is not self-contained, onnxruntime cannot load it or score a trial batch with it, or the manifest does not fit the signature (model-unusable)'),
        },
      },
      get: {
        summary: 'A version: registration, retirement, where it is deployed',
        parameters: [pathParam('name'), pathParam('version')],
        responses: { '200': { description: 'The version' }, '404': problem('model-version-not-found') },
      },
    },
    '/v1/models/{name}/versions/{version}/artifact': {
      get: {
        summary: 'The exact bytes (header X-Model-Sha256; ?served=true for the served rewrite)',
        parameters: [pathParam('name'), pathParam('version'), { name: 'served', in: 'query', required: false, schema: { enum: ['true', 'false'] } }],
        responses: { '200': { description: 'application/octet-stream' }, '404': problem('model-version-not-found') },
      },
    },
    '/v1/models/{name}/versions/{version}/retire': {
      post: {
        summary: 'Retire a version (it can no longer be deployed)',
        parameters: [pathParam('name'), pathParam('version')],
        requestBody: { required: true, content: json({ type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }) },
        responses: { '200': { description: 'The retired version' }, '404': problem('model-version-not-found'), '409': problem('Deployed or already retired') },
      },
    },
    '/v1/deployment': {
      get: {
        summary: 'What decides now, or as it was at an instant (?at=)',
        parameters: [{ name: 'at', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } }],
        responses: { '200': { description: 'The state (with ?at=, plus the events that made it so)', content: json(ref('Deployment')) }, '400': problem('invalid-query') },
      },
    },
    '/v1/deployment/history': {
      get: {
        summary: 'Every deployment change, newest first (read model)',
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'One page: { items, nextCursor }' }, '400': problem('invalid-query') },
      },
    },
    '/v1/deployment/champion': { put: change('Blue-green: switch the champion (the previous one stays loaded as standby)', fromZod(DEPLOYMENT_BODIES.champion)) },
    '/v1/deployment/challenger': {
      put: change('Deploy a canary or shadow challenger', fromZod(DEPLOYMENT_BODIES.challenger)),
      patch: change("Change the challenger's traffic", fromZod(DEPLOYMENT_BODIES.traffic)),
    },
    '/v1/deployment/challenger/promote': { post: change('Make the challenger the champion', fromZod(DEPLOYMENT_BODIES.reason)) },
    '/v1/deployment/challenger/rollback': { post: change('Remove the challenger', fromZod(DEPLOYMENT_BODIES.reason)) },
    '/v1/deployment/rollback': { post: change('Roll the champion back to the standby', fromZod(DEPLOYMENT_BODIES.reason)) },
    '/v1/deployment/policy': { put: change('Bind a policy version to thresholds for the champion or the challenger', fromZod(DEPLOYMENT_BODIES.policy)) },
    '/v2': { get: { summary: 'OIP v2 server metadata', responses: { '200': { description: '{ name, version, extensions }' } } } },
    '/v2/health/live': { get: { summary: 'OIP v2 liveness', responses: { '200': { description: '{ live: true }' } } } },
    '/v2/health/ready': { get: { summary: 'OIP v2 readiness', responses: { '200': { description: '{ ready: true }' }, '400': { description: '{ ready: false }' } } } },
  };
  for (const { params, suffix } of [versionPaths('/models/{name}'), versionPaths('/models/{name}/versions/{version}', [pathParam('version')])]) {
    paths[`/v2${suffix}`] = { get: { summary: 'OIP v2 model metadata', parameters: params, responses: { '200': { description: '{ name, versions, platform, inputs, outputs }' }, '404': oipError('Unknown model or version') } } };
    paths[`/v2${suffix}/ready`] = { get: { summary: 'OIP v2 model readiness', parameters: params, responses: { '200': { description: '{ name, ready: true }' }, '400': oipError('Not ready (retired)'), '404': oipError('Unknown') } } };
    paths[`/v2${suffix}/infer`] = {
      post: {
        summary: 'OIP v2 inference (recorded as InferenceMade before the answer; the request id makes a retry idempotent)',
        parameters: params,
        requestBody: { required: true, content: json(ref('InferenceRequest')) },
        responses: {
          '200': { description: 'Outputs', content: json(ref('InferenceResponse')) },
          '400': oipError('Invalid inputs or outputs'),
          '404': oipError('Unknown model or version'),
          '409': oipError('The id was used for another request'),
          '503': oipError('Not recorded: the event store is unavailable'),
        },
      },
    };
  }
  return paths;
}

export function lifecycleSchemas(): Record<string, unknown> {
  return {
    ModelManifest: fromZod(modelManifestSchema),
    Deployment: deployment,
    InferenceRequest: {
      type: 'object',
      required: ['inputs'],
      properties: {
        id: { type: 'string', pattern: SAFE_ID.source },
        parameters: { type: 'object' },
        inputs: { type: 'array', items: oipTensor },
        outputs: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, parameters: { type: 'object' } } } },
      },
    },
    InferenceResponse: {
      type: 'object',
      required: ['model_name', 'model_version', 'id', 'outputs'],
      properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, id: { type: 'string' }, parameters: { type: 'object' }, outputs: { type: 'array', items: oipTensor } },
    },
  };
}
