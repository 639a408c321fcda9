/**
 * Every problem Verdict answers with, in one place (RFC 9457). A problem's `type` is `/problems/<code>`, served by
 * ProblemTypesController as a short human-readable description, so the link in a response leads somewhere useful.
 */
export const PROBLEM_TYPES = {
  'validation-failed': { status: 400, title: 'The request is invalid', description: 'One or more fields are missing, have the wrong type, or are out of range. `errors` lists each one with a JSON Pointer `path` into the body. Nothing was recorded.' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON', description: 'The body could not be parsed as JSON (note that NaN and Infinity are not JSON). Nothing was recorded.' },
  'invalid-query': { status: 400, title: 'The query is invalid', description: 'A query-string parameter is malformed, unknown or out of range (or, for an export, `to` is not after `from`); `errors[].path` names it, e.g. `/from`. Nothing was started.' },
  'not-found': { status: 404, title: 'Not found', description: 'No route matches this method and path.' },
  'decision-not-found': { status: 404, title: 'Decision not found', description: 'No decision with this id has been recorded. A decision is found from the moment its answer was sent, whether or not the read model has applied it (for one answered by another instance, while the read model is at most 20,000 events behind: docs/audit.md).' },
  'transaction-not-found': { status: 404, title: 'Transaction not found', description: 'No decision has been recorded for this transaction, so it cannot be labelled (a label is about a decided transaction). Nothing was recorded.' },
  'label-conflict': { status: 409, title: 'Label already recorded with other content', description: 'A label is immutable: this labelId is already recorded for the transaction with another label, source, reportedAt, amount or note (`recorded` shows it). A correction is a new label with a new labelId and a later reportedAt; it supersedes the earlier one.' },
  'stream-contention': { status: 409, title: 'Other changes kept landing first', description: 'Other appends to the same transaction (labels, reviews) kept landing between the read and the append, several times in a row. Nothing of this request was recorded for that transaction; retrying is safe.' },
  'review-not-found': { status: 404, title: 'No such review', description: 'No decision with this id has been recorded, or its outcome was not `review`, so it is not in the review queue.' },
  'review-claimed': { status: 409, title: 'Claimed by another reviewer', description: 'Another reviewer holds the claim on this decision (`reviewer`, until `expiresAt`). Nothing was recorded. An abandoned claim lapses at `expiresAt` and the decision returns to the queue.' },
  'review-resolved': { status: 409, title: 'Already resolved', description: 'This review has been resolved (`resolution` shows how and by whom). A resolution is final; a later finding is a new label on the transaction.' },
  'review-label-taken': { status: 409, title: "The review's label id is taken by another label", description: "A resolution records its label as `review-<decisionId>`, and another label on the transaction already holds that labelId (`recorded` shows it: a client's, recorded before `review-` label ids were reserved for reviews). A label is immutable, so this review cannot be resolved; nothing was recorded. Record the finding as a new label on the transaction instead." },
  'method-not-allowed': { status: 405, title: 'Method not allowed', description: 'The resource exists but does not support this method.' },
  'idempotency-conflict': { status: 409, title: 'Transaction already decided with a different request', description: 'A decision already exists for this transactionId and it was made on a different request body. A retry must repeat the original body exactly; a new transaction needs a new transactionId.' },
  'payload-too-large': { status: 413, title: 'The body is too large', description: "The body exceeds the route's limit, which the detail names: 64 KiB for a decision, 8 MiB for a batch of decisions or labels and for a raw inference request, VERDICT_MODEL_MAX_BYTES for a model upload. Nothing was recorded." },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', description: 'Send the body as `Content-Type: application/json` (a model upload, and only it: `multipart/form-data`). Nothing was recorded.' },
  'unsupported-content-encoding': { status: 415, title: 'Unsupported content encoding', description: 'Bodies are accepted uncompressed only: send no `Content-Encoding` (or `identity`). Nothing was recorded.' },
  'malformed-request': { status: 400, title: 'The HTTP request is malformed', description: 'The request could not be read as HTTP/1.1 (a bad request line, header or chunk). The connection is closed. Nothing was recorded.' },
  'malformed-url': { status: 400, title: 'The URL is malformed', description: 'The path is not valid percent-encoding (a `%` not followed by two hex digits, or bytes that are not UTF-8). Nothing was done.' },
  'path-segment-too-long': { status: 414, title: 'A path segment is too long', description: 'A path parameter is longer than any id Verdict issues or accepts (384 characters as sent: a 128-character transaction id, percent-encoded). Nothing was done.' },
  'headers-too-large': { status: 431, title: 'The request headers are too large', description: "The request's headers exceed the server's limit (16 KiB by default, Node's `--max-http-header-size`). The connection is closed. Nothing was recorded." },
  'event-store-unavailable': { status: 503, title: 'The event store is unavailable', description: 'The decision (or the change) could not be durably recorded, so none was made. Nothing was acknowledged; retrying the same request is safe.' },
  'append-outcome-unknown': { status: 503, title: 'The outcome of the append is unknown', description: 'The event store was lost while it was recording this request (its writer thread died, or the connection dropped after COMMIT was sent), so it may or may not have been recorded. Retrying the same request with the same body is safe: a decision is idempotent by `transactionId` and a label by `labelId`, so the retry answers with whatever was recorded (`200`, `Idempotent-Replayed: true`) or records it now (`201`). For a deployment change or a model registration, read the current state first (GET /v1/deployment, GET /v1/models): it may already be in force. Unlike `event-store-unavailable`, this does not mean that nothing was made.' },
  'artifact-store-unavailable': { status: 503, title: 'The artifact store is unavailable', description: 'Model bytes could not be stored or read. Nothing was registered or changed; retrying is safe.' },
  'artifact-integrity': { status: 500, title: 'A stored model artifact is missing or altered', description: 'The bytes stored for a registered version are gone or no longer hash to their sha256. They are never served or loaded; restore them from a trusted copy.' },
  'unscorable-request': { status: 422, title: 'The model cannot score this request', description: "The request is valid, but the champion model gave it no finite score (NaN or ±Infinity: e.g. a value beyond the model's float32 range, or a model that divides by zero on it), so nothing can be decided on it. `score` shows what it gave. Nothing was recorded; the same request gets the same answer until the champion changes. A canary challenger that cannot score a request hands it to the champion instead." },
  'history-unavailable': { status: 503, title: 'History features are unavailable', description: 'The model reads history features, and the engine cannot compute them now: its history thread failed (see `/health/ready`) or is stopping. Nothing was recorded; retrying the same request is safe.' },
  'not-ready': { status: 503, title: 'Not ready', description: 'The engine is starting or shutting down, or no champion is deployed yet.' },
  'invalid-model-upload': { status: 400, title: 'The model upload is malformed', description: 'A model is registered with `multipart/form-data`: a `model` part holding the .onnx bytes and an optional `manifest` part (JSON, as a field or a file). `errors` names what is wrong. Nothing was stored.' },
  'invalid-model-id': { status: 400, title: 'The model name or version is invalid', description: 'Model names and versions are 1–64 characters of A-Z, a-z, 0-9, ".", "_" and "-".' },
  'model-unusable': { status: 422, title: 'The model cannot be used', description: 'onnxruntime could not load the model, it is not self-contained (it keeps tensors as external data), or its manifest does not fit its signature (feature count against input width, unknown feature names, a missing score output, a non-float input), or it fails on a trial batch as decisions would run it (output dims that ignore the batch size, a non-finite score). `reasons` lists each problem. At registration nothing was stored; for a deployment change (a version registered before these checks), the deployment did not change.' },
  'model-version-exists': { status: 409, title: 'This model version is registered with other content', description: 'A version is immutable: the same name and version with other bytes or another manifest is refused. Register a new version.' },
  'model-not-found': { status: 404, title: 'Model not found', description: 'No version of this model has been registered.' },
  'model-version-not-found': { status: 404, title: 'Model version not found', description: 'This model has no version of that name.' },
  'model-version-retired': { status: 409, title: 'Model version retired', description: 'A retired version cannot be deployed or retired again.' },
  'model-version-deployed': { status: 409, title: 'Model version deployed', description: 'A version in the deployment (champion, standby or challenger) cannot be retired. Change the deployment first.' },
  'model-not-deployable': { status: 422, title: 'Model version cannot decide', description: 'The version has no features in its manifest: it serves raw inference only and cannot be deployed for decisions.' },
  'deployment-rule': { status: 409, title: 'The deployment does not allow this change', description: 'The change does not fit the deployment as it stands (no champion, no challenger, a challenger already deployed, no standby to roll back to, or a policy version already bound to other thresholds). `rule` names which.' },
  'invalid-deployment-change': { status: 422, title: 'The change is not valid', description: 'The change is well-formed but cannot be applied as given (traffic out of range, no policy to use). `rule` names which.' },
  'deployment-conflict': { status: 409, title: 'Another deployment change landed first', description: 'Two changes raced; this one lost and was not applied. Read the deployment (GET /v1/deployment) and decide again, with If-Match to be sure.' },
  'precondition-failed': { status: 412, title: 'The deployment has changed', description: 'If-Match named a revision that is no longer current. Read the deployment again.' },
  'replay-not-found': { status: 404, title: 'Replay not found', description: 'No replay with this id has been requested (ids are the `replayId` that POST /v1/replays answered).' },
  'not-sealed-yet': { status: 409, title: 'Not sealed yet', description: 'The event is recorded, but no audit seal covers it yet, so there is no proof to give. `nextSealDueBy` says when the next seal is due at the latest; ask again after it (docs/audit.md).' },
  'sealed-event-unprovable': { status: 500, title: 'A sealed event cannot be proven', description: 'The store no longer holds what a seal covered (the event or the seal is gone or unreadable). Run POST /v1/audit/verifications (or `verdict audit verify`) to see what changed; it has been logged.' },
  'unauthenticated': { status: 401, title: 'Not authenticated', description: 'Every route but `/health/live` and `/health/ready` needs `Authorization: Bearer <credential>`: an API key (`vdk_…`, docs/security.md) or, where OIDC is configured, a token from the configured issuer. The credential was missing, malformed, unknown, revoked or expired. Nothing was done.' },
  'forbidden': { status: 403, title: 'Not allowed for this caller', description: "The caller is authenticated, but none of its roles opens this route (`requiredRoles` lists those that do). Roles: decide, analyze, audit, operate, admin (docs/security.md). Nothing was done." },
  'rate-limited': { status: 429, title: 'Too many requests', description: 'This key (or, for callers without one, this address) has used its requests for the current second. `Retry-After` says when to try again. Nothing was done.' },
  'request-timeout': { status: 503, title: 'The request took too long', description: 'No answer could be given within the request timeout (VERDICT_REQUEST_TIMEOUT_MS). A command may or may not have been recorded: every command is idempotent, so retrying the same request is safe and returns what was recorded.' },
  'invalid-key-request': { status: 400, title: 'The key request is invalid', description: 'A key needs a client id (1–128 of A-Z a-z 0-9 . _ @ : -) and at least one known role; `errors` names what is wrong. Nothing was created.' },
  'key-not-found': { status: 404, title: 'No such API key', description: 'No key with this id has been created.' },
  'key-already-revoked': { status: 409, title: 'The key is already revoked', description: 'A revoked key stays revoked; there is nothing more to do.' },
  'internal-error': { status: 500, title: 'Internal error', description: 'An unexpected error. It has been logged with the request id given in `instance`.' },
} as const;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export interface ProblemFieldError {
  readonly path: string;
  readonly message: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export function problem(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}): ProblemDocument {
  const t = PROBLEM_TYPES[code];
  return { type: `/problems/${code}`, title: t.title, status: t.status, detail, ...extra };
}
