import { z } from 'zod';
import { createKeyRequestSchema, revokeKeyRequestSchema, ROLES } from '@verdict/domain';

/** OpenAPI paths and schemas of API keys and the access log. */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const keyId = { name: 'keyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9]{16}$' } };
const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, schema, description });
const nullableString = { type: ['string', 'null'] };

export function securityPaths(): Schema {
  return {
    '/v1/keys': {
      post: {
        summary: 'Create an API key (its secret is in this answer only)',
        requestBody: { required: true, content: json(ref('CreateKeyRequest')) },
        responses: { '201': { description: 'The key, once', content: json(ref('CreatedKey')) }, '400': problem('Invalid request (validation-failed, invalid-key-request)') },
      },
      get: { summary: 'Every API key, revoked ones included (never a secret)', responses: { '200': { description: 'Keys', content: json({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('ApiKey') } } }) } } },
    },
    '/v1/keys/{keyId}': {
      get: { summary: 'One API key', parameters: [keyId], responses: { '200': { description: 'The key', content: json(ref('ApiKey')) }, '404': problem('No such key (key-not-found)') } },
    },
    '/v1/keys/{keyId}/revoke': {
      post: {
        summary: 'Revoke an API key (in force on every instance within a second)',
        parameters: [keyId],
        requestBody: { required: false, content: json(ref('RevokeKeyRequest')) },
        responses: { '200': { description: 'The revoked key', content: json(ref('ApiKey')) }, '404': problem('No such key (key-not-found)'), '409': problem('Already revoked (key-already-revoked)') },
      },
    },
    '/v1/subjects/{subjectId}/erasure': {
      post: {
        summary: "Erase a data subject: destroy its keys, so its personal values can never be read again (SubjectErased)",
        description:
          'The subject is a customer id, or a card id for decisions without a customer. Its keys and identities are destroyed in the key store, then SubjectErased is appended; read models and the history forget the subject as they read it. Decisions keep their features, scores and outcomes, and the seals still verify. Erasing again is harmless. See docs/security.md, "Erasure".',
        parameters: [{ name: 'subjectId', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 128 } }],
        requestBody: { required: false, content: json({ type: 'object', additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 1024 } } }) },
        responses: {
          '200': { description: 'Erased', content: json(ref('Erasure')) },
          '400': problem('Invalid request (validation-failed)'),
        },
      },
    },
    '/v1/audit/access': {
      get: {
        summary: 'The access log: who read which decision data (AccessRecorded), oldest first',
        parameters: [
          query('from', { type: 'string', format: 'date' }, 'First UTC day (default: to)'),
          query('to', { type: 'string', format: 'date' }, 'Last UTC day (default: today)'),
          query('client', { type: 'string' }, 'Only this client'),
          query('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'Page size'),
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
        ],
        responses: { '200': { description: 'One page', content: json(ref('AccessPage')) }, '400': problem('Invalid query (invalid-query)') },
      },
    },
  };
}

function jsonSchema(schema: z.ZodType): Schema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return rest;
}

export function securitySchemas(): Schema {
  return { ...keySchemas(), Erasure: erasureSchema };
}

const erasureSchema: Schema = {
  type: 'object',
  required: ['subjectRef', 'erasedAt', 'keysDestroyed', 'valuesDestroyed', 'position'],
  properties: {
    subjectRef: { type: 'string', description: "The subject's reference (a keyed pseudonym of its id), as SubjectErased names it" },
    erasedAt: { type: 'string', format: 'date-time' },
    keysDestroyed: { type: 'integer', minimum: 0 },
    valuesDestroyed: { type: 'integer', minimum: 0, description: 'Distinct personal values (identities) destroyed' },
    position: { type: 'string', description: "SubjectErased's global log position (decimal)" },
  },
};

function keySchemas(): Schema {
  const apiKey: Schema = {
    type: 'object',
    required: ['keyId', 'client', 'roles', 'rateLimitPerSecond', 'createdAt', 'createdBy', 'revokedAt', 'revokedBy'],
    properties: {
      keyId: { type: 'string' },
      client: { type: 'string' },
      roles: { type: 'array', items: { enum: [...ROLES] } },
      rateLimitPerSecond: { type: ['integer', 'null'] },
      createdAt: { type: 'string', format: 'date-time' },
      createdBy: { type: 'string' },
      revokedAt: { ...nullableString, format: 'date-time' },
      revokedBy: nullableString,
    },
  };
  const access: Schema = {
    type: 'object',
    required: ['schemaVersion', 'caller', 'roles', 'operation', 'parameters', 'status', 'records', 'at', 'position'],
    properties: {
      schemaVersion: { const: 1 },
      caller: { type: 'object', required: ['client', 'keyId', 'kind'], properties: { client: { type: 'string' }, keyId: { type: 'string' }, kind: { enum: ['api-key', 'oidc'] } } },
      roles: { type: 'array', items: { type: 'string' } },
      operation: { type: 'string', description: '`GET /v1/decisions/:decisionId` as routed, or `graphql:<operation>.<root field>`' },
      parameters: { type: 'object' },
      status: { type: 'integer' },
      records: { type: 'integer', minimum: 0, description: 'Decision records answered' },
      at: { type: 'string', format: 'date-time' },
      position: { type: 'integer', description: 'Global log position of the AccessRecorded event' },
    },
  };
  return {
    CreateKeyRequest: jsonSchema(createKeyRequestSchema),
    RevokeKeyRequest: jsonSchema(revokeKeyRequestSchema),
    ApiKey: apiKey,
    CreatedKey: { type: 'object', required: ['apiKey', 'key'], properties: { apiKey: { type: 'string', pattern: '^vdk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$' }, key: ref('ApiKey') } },
    AccessRecord: access,
    AccessPage: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref('AccessRecord') }, nextCursor: nullableString } },
  };
}
