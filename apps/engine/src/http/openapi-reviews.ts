import { z } from 'zod';
import { reviewClaimSchema, reviewResolutionSchema } from '@verdict/domain';

/** OpenAPI paths and schemas of the review queue. */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const query = (name: string, schema: Schema, description: string) => ({ name, in: 'query', required: false, schema, description });
const decisionId = { name: 'decisionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const actor = { name: 'X-Verdict-Actor', in: 'header', required: false, schema: { type: 'string' }, description: "The reviewer, when an API key's system acts for a person (ignored for OIDC tokens: the token's subject is the reviewer)" };
const instant = { type: 'string', format: 'date-time' };

const claim: Schema = {
  type: 'object',
  required: ['schemaVersion', 'decisionId', 'transactionId', 'reviewer', 'claimedAt', 'expiresAt'],
  properties: { schemaVersion: { const: 1 }, decisionId: { type: 'string' }, transactionId: { type: 'string' }, reviewer: { type: 'string' }, claimedAt: instant, expiresAt: instant },
};
const resolved: Schema = {
  type: 'object',
  required: ['schemaVersion', 'decisionId', 'transactionId', 'reviewer', 'resolution', 'resolvedAt', 'labelId'],
  properties: {
    schemaVersion: { const: 1 },
    decisionId: { type: 'string' },
    transactionId: { type: 'string' },
    reviewer: { type: 'string' },
    resolution: { enum: ['fraud', 'legitimate'] },
    note: { type: 'string' },
    resolvedAt: instant,
    labelId: { type: 'string' },
  },
};
const item: Schema = {
  type: 'object',
  required: ['decision', 'status', 'claim', 'resolution'],
  properties: {
    decision: ref('DecisionSummary'),
    status: { enum: ['open', 'claimed', 'resolved'] },
    claim: { oneOf: [{ type: 'null' }, { type: 'object', required: ['reviewer', 'claimedAt', 'expiresAt'], properties: { reviewer: { type: 'string' }, claimedAt: instant, expiresAt: instant } }] },
    resolution: {
      oneOf: [
        { type: 'null' },
        { type: 'object', required: ['resolution', 'reviewer', 'resolvedAt', 'note'], properties: { resolution: { enum: ['fraud', 'legitimate'] }, reviewer: { type: 'string' }, resolvedAt: instant, note: { type: ['string', 'null'] } } },
      ],
    },
  },
};

export function reviewPaths(): Record<string, unknown> {
  return {
    '/v1/reviews': {
      get: {
        summary: 'The review queue: decisions with outcome review, by status',
        parameters: [
          query('status', { enum: ['open', 'claimed', 'resolved'], default: 'open' }, 'open includes claims that have lapsed'),
          query('order', { enum: ['score', 'age'], default: 'score' }, 'score: riskiest first; age: oldest first'),
          query('cardId', { type: 'string' }, 'Only this card'),
          query('customerId', { type: 'string' }, 'Only this customer'),
          query('merchantId', { type: 'string' }, 'Only this merchant'),
          query('model', { type: 'string' }, 'Only decisions by this model'),
          query('modelVersion', { type: 'string' }, 'Only this version of `model`'),
          query('arm', { enum: ['champion', 'challenger'] }, 'Only this deployment arm'),
          query('from', instant, 'decidedAt ≥ from'),
          query('to', instant, 'decidedAt < to'),
          query('limit', { type: 'integer', minimum: 1, maximum: 500, default: 50 }, 'Page size'),
          query('cursor', { type: 'string' }, 'nextCursor of the previous page'),
        ],
        responses: {
          '200': { description: 'One page', content: json({ type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: ref('ReviewItem') }, nextCursor: { type: ['string', 'null'] } } }) },
          '400': problem('Invalid query (invalid-query)'),
        },
      },
    },
    '/v1/reviews/{decisionId}/claim': {
      post: {
        summary: 'Claim a decision for review (or renew your own claim); it lapses at expiresAt',
        parameters: [decisionId, actor],
        requestBody: { required: false, content: json(ref('ReviewClaimRequest')) },
        responses: {
          '200': { description: 'Claimed (ReviewClaimed appended)', content: json(ref('ReviewClaimed')) },
          '400': problem('Invalid body (validation-failed)'),
          '404': problem('No such decision, or not sent to review (review-not-found)'),
          '409': problem('Claimed by another reviewer (review-claimed) or already resolved (review-resolved)'),
        },
      },
    },
    '/v1/reviews/{decisionId}/resolution': {
      post: {
        summary: 'Resolve a review: appends ReviewResolved and its label (source review) in one append',
        parameters: [decisionId, actor],
        requestBody: { required: true, content: json(ref('ReviewResolutionRequest')) },
        responses: {
          '200': { description: 'Resolved', content: json({ type: 'object', required: ['resolved', 'label'], properties: { resolved: ref('ReviewResolved'), label: ref('TransactionLabelled') } }) },
          '400': problem('Invalid body (validation-failed)'),
          '404': problem('No such decision, or not sent to review (review-not-found)'),
          '409': problem('Claimed by another reviewer (review-claimed) already resolved (review-resolved), or its label id review-<decisionId> held by another label (review-label-taken)'),
        },
      },
    },
  };
}

export function reviewSchemas(): Record<string, unknown> {
  const { $schema: _a, ...claimRequest } = z.toJSONSchema(reviewClaimSchema, { io: 'input' }) as Schema;
  const { $schema: _b, ...resolution } = z.toJSONSchema(reviewResolutionSchema, { io: 'input' }) as Schema;
  return { ReviewClaimRequest: claimRequest, ReviewResolutionRequest: resolution, ReviewClaimed: claim, ReviewResolved: resolved, ReviewItem: item };
}
