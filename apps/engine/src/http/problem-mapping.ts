import { HttpException } from '@nestjs/common';
import { isAppendOutcomeUnknown, isEventStoreUnavailable, isUnreadableEvent, EventStoreError, InvalidAppendError } from '@verdict/event-store';
import { InvalidCursorError, InvalidDecisionFilterError } from '@verdict/read-models';
import { ProblemException } from './problem.exception';
import { NotSealedYetError, SealedEventUnprovableError } from '../audit/event-proofs';
import { IdempotencyConflictError } from '../decisions/idempotency-conflict.error';
import { isArtifactAltered, isArtifactMissing, isArtifactStoreUnavailable } from '@verdict/artifact-store';
import { isDeploymentRuleError, NonFiniteScoreError } from '@verdict/domain';
import { DeploymentChangeConflictError } from '../deployment/deployment-changes';
import { DeploymentNotReadyError } from '../deployment/deployment-runtime';
import { HistoryUnavailableError } from '../history/history-unavailable.error';
import { ModelVersionConflictError } from '../models/model-registration';
import { UnusableModelError } from '../models/model-upload-check';
import { problem, type ProblemCode, type ProblemDocument } from './problem-types';

/** Deployment rules answered 404 or 422; every other rule is a 409 ('deployment-rule'). */
const RULE_PROBLEMS: Record<string, ProblemCode> = {
  'model-version-not-found': 'model-version-not-found',
  'model-version-retired': 'model-version-retired',
  'model-not-deployable': 'model-not-deployable',
  'no-policy': 'invalid-deployment-change',
  'invalid-traffic': 'invalid-deployment-change',
};

/**
 * HTTP errors raised before our handlers run (Fastify's body parsing, Nest's router), by status. Our own 400s are
 * ProblemExceptions, so any other 400 is a body that could not be parsed.
 */
const BY_STATUS: Record<number, ProblemCode> = {
  400: 'malformed-json',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** What to say instead of the framework's bare message ("Unsupported Media Type"): what the client should send. */
const DETAIL_BY_STATUS: Record<number, (bodyLimit: number | undefined) => string> = {
  413: (bodyLimit) =>
    bodyLimit === undefined
      ? "The body exceeds this route's size limit. Nothing was recorded."
      : `The body exceeds this route's size limit of ${formatBytes(bodyLimit)}. Nothing was recorded.`,
  415: () => "The body's Content-Type is not one this route reads: send `Content-Type: application/json` (a model upload: `multipart/form-data`). Nothing was recorded.",
};

/** 65536 → "64 KiB", 8388608 → "8 MiB"; anything else in bytes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Turns any error into a problem document; `internal` tells the caller to log it. `bodyLimit` is the refusing route's,
 * when known (Fastify's `routeOptions`).
 */
export function toProblem(error: unknown, bodyLimit?: number): { doc: ProblemDocument; internal: boolean } {
  if (error instanceof ProblemException) return { doc: error.document, internal: false };
  if (error instanceof IdempotencyConflictError) {
    return {
      doc: problem('idempotency-conflict', error.message, { transactionId: error.transactionId, decisionId: error.decisionId }),
      internal: false,
    };
  }
  if (error instanceof InvalidCursorError) {
    return { doc: problem('invalid-query', error.message, { errors: [{ path: '/cursor', message: 'is not a cursor this API returned' }] }), internal: false };
  }
  if (error instanceof InvalidDecisionFilterError) {
    return { doc: problem('invalid-query', error.message, { errors: [{ path: `/${error.field}`, message: error.message }] }), internal: false };
  }
  if (error instanceof NonFiniteScoreError) {
    return { doc: problem('unscorable-request', `${error.message}: nothing was decided or recorded.`, { score: String(error.score) }), internal: false };
  }
  if (error instanceof UnusableModelError) {
    return { doc: problem('model-unusable', error.message, { reasons: error.reasons }), internal: false };
  }
  if (error instanceof ModelVersionConflictError) {
    const r = error.registered;
    return { doc: problem('model-version-exists', error.message, { name: r.name, version: r.version, sha256: r.sha256, differs: error.differs }), internal: false };
  }
  if (isDeploymentRuleError(error)) {
    return { doc: problem(RULE_PROBLEMS[error.code] ?? 'deployment-rule', error.message, { rule: error.code }), internal: false };
  }
  if (error instanceof DeploymentChangeConflictError) {
    const code = error.withIfMatch ? 'precondition-failed' : 'deployment-conflict';
    return { doc: problem(code, error.message, { revision: error.currentRevision }), internal: false };
  }
  if (error instanceof HistoryUnavailableError) {
    return { doc: problem('history-unavailable', `Nothing was recorded: ${error.message}`), internal: true };
  }
  if (error instanceof DeploymentNotReadyError) {
    return { doc: problem('not-ready', 'No champion is deployed yet: the engine is starting.'), internal: false };
  }
  if (error instanceof NotSealedYetError) {
    const extra = { position: error.position.toString(), sealedThrough: error.sealedThrough.toString(), nextSealDueBy: error.nextSealDueBy };
    return { doc: problem('not-sealed-yet', error.message, extra), internal: false };
  }
  if (error instanceof SealedEventUnprovableError) {
    return { doc: problem('sealed-event-unprovable', error.message), internal: true };
  }
  if (isArtifactStoreUnavailable(error)) {
    return { doc: problem('artifact-store-unavailable', error.message), internal: true };
  }
  if (isArtifactMissing(error) || isArtifactAltered(error)) {
    return { doc: problem('artifact-integrity', error.message), internal: true };
  }
  if (isAppendOutcomeUnknown(error)) {
    const detail = 'The event store was lost while recording this request: it may or may not have been recorded. Retrying the same request with the same body is safe and answers with whatever was recorded.';
    return { doc: problem('append-outcome-unknown', detail), internal: true };
  }
  if (isEventStoreUnavailable(error)) {
    return { doc: problem('event-store-unavailable', 'Nothing was recorded: the event store is unavailable. Retry the same request.'), internal: false };
  }
  // The store refused what the engine built (an event id already stored, text it cannot hold): the same request would
  // be refused again, so not a 503, whose every use says a retry is safe.
  if (error instanceof InvalidAppendError) {
    return { doc: problem('internal-error', 'Nothing was recorded: the event store refused the append as invalid. Retrying the same request will not help; it has been logged.'), internal: true };
  }
  if (isUnreadableEvent(error)) {
    // A row rewritten behind the store: not an outage (retrying cannot help), and verification names it.
    const detail = `A stored event cannot be read (position ${error.position}). Run POST /v1/audit/verifications (or \`verdict audit verify\`) to see what changed; it has been logged.`;
    return { doc: problem('internal-error', detail), internal: true };
  }
  if (error instanceof EventStoreError) {
    return { doc: problem('event-store-unavailable', `Nothing was recorded: ${error.message}`), internal: true };
  }
  // The router's own refusals, before any route or hook runs (Fastify's frameworkErrors).
  const code = (error as { code?: unknown })?.code;
  if (code === 'FST_ERR_BAD_URL') return { doc: problem('malformed-url', 'The path is not valid percent-encoded UTF-8.'), internal: false };
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return { doc: problem('path-segment-too-long', 'A path segment is longer than any id this API accepts.'), internal: false };
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  const status = error instanceof HttpException ? error.getStatus() : typeof statusCode === 'number' ? statusCode : 500;
  const message = (error as Error).message;
  // Nest hands the body parser's refusal on as a bare HttpException; the multipart limits are the model upload's own
  // problems (model-upload.ts), so a 413 here is the route's bodyLimit.
  if (BY_STATUS[status]) return { doc: problem(BY_STATUS[status], DETAIL_BY_STATUS[status]?.(bodyLimit) ?? message), internal: false };
  if (status >= 400 && status < 500) {
    return { doc: { type: 'about:blank', title: message, status, detail: message }, internal: false };
  }
  return { doc: problem('internal-error', 'An unexpected error occurred.'), internal: true };
}
