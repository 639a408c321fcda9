/** OpenAPI paths and schemas of sealed audit periods: keys, verifications, inclusion proofs (docs/audit.md). */
import { SAFE_ID } from '@verdict/domain';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const hex = (bytes: number): Schema => ({ type: 'string', pattern: `^[0-9a-f]{${bytes * 2}}$` });
const decimal: Schema = { type: 'string', pattern: '^[0-9]+$', description: 'A 64-bit position or revision as a decimal string' };

const sealHeader: Schema = {
  type: 'object',
  required: ['schemaVersion', 'index', 'fromPosition', 'toPosition', 'count', 'merkleRoot', 'entriesSha256', 'previousSealHash', 'sealedAt', 'keyId'],
  properties: {
    schemaVersion: { const: 1 },
    index: { type: 'integer', minimum: 0 },
    fromPosition: { ...decimal, description: 'Exclusive' },
    toPosition: { ...decimal, description: 'Inclusive' },
    count: { type: 'integer', minimum: 1 },
    merkleRoot: hex(32),
    entriesSha256: hex(32),
    previousSealHash: { oneOf: [hex(32), { type: 'null' }] },
    sealedAt: { type: 'string', format: 'date-time' },
    keyId: hex(16),
  },
};

const finding: Schema = {
  type: 'object',
  required: ['kind', 'seal', 'detail'],
  properties: {
    kind: { enum: ['altered', 'missing', 'extra', 'reordered', 'root-mismatch', 'entries-mismatch', 'chain-broken', 'bad-signature', 'unknown-key', 'malformed-seal'] },
    seal: { type: 'integer', minimum: 0 },
    position: decimal,
    stream: { type: 'string' },
    revision: decimal,
    sealedPosition: decimal,
    detail: { type: 'string' },
  },
};

const report: Schema = {
  type: 'object',
  required: ['clean', 'store', 'trust', 'keys', 'seals', 'eventsChecked', 'sealedThrough', 'unsealedEvents', 'findings', 'durationMs', 'eventsPerSecond'],
  properties: {
    clean: { type: 'boolean' },
    store: { type: 'string' },
    trust: { enum: ['audit-keys', 'trusted-keys'] },
    keys: { type: 'array', items: hex(16) },
    seals: { type: 'integer', minimum: 0 },
    eventsChecked: { type: 'integer', minimum: 0 },
    sealedThrough: decimal,
    unsealedEvents: { type: 'integer', minimum: 0 },
    findings: { type: 'array', items: finding },
    durationMs: { type: 'number', minimum: 0 },
    eventsPerSecond: { type: 'number', minimum: 0 },
  },
};

const proof: Schema = {
  type: 'object',
  required: ['schemaVersion', 'event', 'eventHash', 'leafIndex', 'treeSize', 'auditPath', 'seal'],
  properties: {
    schemaVersion: { const: 1 },
    event: { type: 'object', required: ['id', 'type', 'stream', 'revision', 'position', 'data', 'metadata'], description: 'The event as stored: the object whose canonical JSON is hashed' },
    eventHash: hex(32),
    leafIndex: { type: 'integer', minimum: 0 },
    treeSize: { type: 'integer', minimum: 1 },
    auditPath: { type: 'array', items: hex(32), description: 'RFC 6962 PATH(leafIndex, D[treeSize]), leaf to root' },
    seal: { type: 'object', required: ['header', 'signature', 'sealHash'], properties: { header: ref('SealHeader'), signature: { type: 'string' }, sealHash: hex(32) } },
  },
};

const publishedKey: Schema = {
  type: 'object',
  required: ['schemaVersion', 'keyId', 'algorithm', 'publicKeyPem', 'addedAt', 'position'],
  properties: { schemaVersion: { const: 1 }, keyId: hex(16), algorithm: { const: 'ed25519' }, publicKeyPem: { type: 'string' }, addedAt: { type: 'string', format: 'date-time' }, position: decimal },
};

export function auditPaths(): Schema {
  return {
    '/v1/audit/keys': {
      get: {
        summary: 'The public keys seals are signed with (from audit-keys), and the key this instance signs with',
        responses: { '200': { description: 'Keys', content: json({ type: 'object', required: ['activeKeyId', 'keys'], properties: { activeKeyId: hex(16), keys: { type: 'array', items: ref('AuditPublicKey') } } }) } },
      },
    },
    '/v1/audit/verifications': {
      post: {
        summary: 'Recompute every seal from the stored events; report altered, missing, extra and reordered events, broken chains and bad signatures',
        requestBody: { required: false, content: json({ type: 'object', additionalProperties: false, properties: { publicKeys: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 64, description: 'SPKI PEM keys to trust instead of audit-keys' } } }) },
        responses: { '200': { description: 'The report (clean or not)', content: json(ref('AuditVerificationReport')) }, '400': problem('Invalid body (validation-failed, malformed-json)') },
      },
    },
    '/v1/decisions/{decisionId}/proof': {
      get: {
        summary: "A decision's inclusion proof: event hash, leaf index, audit path and the signed seal",
        parameters: [{ name: 'decisionId', in: 'path', required: true, schema: { type: 'string', pattern: SAFE_ID.source } }],
        responses: {
          '200': { description: 'The proof; check it offline with `verdict audit verify-proof`', content: json(ref('EventProof')) },
          '404': problem('Unknown decision (decision-not-found)'),
          '409': problem('No seal covers it yet (not-sealed-yet, with nextSealDueBy)'),
          '500': problem('The store no longer holds what was sealed (sealed-event-unprovable)'),
        },
      },
    },
  };
}

export function auditSchemas(): Schema {
  return { SealHeader: sealHeader, AuditFinding: finding, AuditVerificationReport: report, EventProof: proof, AuditPublicKey: publishedKey };
}
