import { ACCESS_RECORDED, REPLAY_COMPLETED, REPLAY_FAILED, REPLAY_STREAM_PREFIX } from '@verdict/domain';
import type { HostileRequest } from './hostile-requests';

/** What came back: enough to judge the contract and to report it. */
export interface FuzzAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** Set when no HTTP answer arrived at all (reset, closed): always a violation. */
  readonly transportError?: string;
}

/** Sends one hostile request over real HTTP with `authorization` (if any) and reads the whole answer. */
export async function sendHostile(baseUrl: string, request: HostileRequest, authorization: string | undefined, timeoutMs = 30_000): Promise<FuzzAnswer> {
  const headers: Record<string, string> = { ...request.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  try {
    const res = await fetch(baseUrl + request.target, { method: request.method, headers, body: request.body, signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, contentType: '', body: '', transportError: `${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}` };
  }
}

const JSON_POINTER = /^(\/([^~/]|~[01])*)*$/;

/** The error shape a route answers its 4xx in: RFC 9457 everywhere but OIP's /v2 and GraphQL's own errors. */
export type ErrorShape = 'problem' | 'oip' | 'graphql';

export function errorShapeOf(request: Pick<HostileRequest, 'target'>, status: number): ErrorShape {
  // Headers over Node's limit are refused by its HTTP parser, before any route is known: problem+json on every path.
  if (status === 431) return 'problem';
  const path = request.target.split('?')[0] as string;
  if (path === '/v2' || path.startsWith('/v2/')) return 'oip';
  if (path === '/graphql' && status !== 401 && status !== 403 && status !== 429) return 'graphql';
  return 'problem';
}

/**
 * Everything wrong with an answer, as sentences (empty: the answer keeps the contract). A 5xx is wrong (the 503s the
 * document names arise only when a store or thread is lost, which a fuzz run does not do); a 4xx must be
 * problem+json with `type`, `title`, `status` equal to the HTTP status and `detail`, and a validation 400 must name
 * its fields as JSON Pointers. /v2 answers OIP's `{ error }`, /graphql GraphQL's `{ errors: [{ message }] }`.
 */
export function contractViolations(request: Pick<HostileRequest, 'target'>, answer: FuzzAnswer): string[] {
  if (answer.transportError) return [`no HTTP answer: ${answer.transportError}`];
  const { status } = answer;
  if (status >= 500) return [`${status} answered`];
  if (status < 400) return [];
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return [`${status} with a body that is not JSON (${answer.contentType}): ${answer.body.slice(0, 120)}`];
  }
  const obj = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const shape = errorShapeOf(request, status);
  if (shape === 'oip') {
    if (!/^application\/json/.test(answer.contentType)) problems.push(`${status} on /v2 with content-type ${answer.contentType}, not application/json`);
    // A readiness endpoint says "not ready" with a 4xx and its own body ({ name, ready: false }), as the protocol defines.
    const notReady = /\/ready$/.test(request.target.split('?')[0] as string) && obj.ready === false;
    if (typeof obj.error !== 'string' && !notReady) problems.push(`${status} on /v2 without OIP's { error: string }`);
    return problems;
  }
  if (shape === 'graphql') {
    if (!/^application\/(graphql-response\+)?json/.test(answer.contentType)) problems.push(`${status} on /graphql with content-type ${answer.contentType}`);
    const errors = obj.errors;
    if (!Array.isArray(errors) || errors.length === 0 || errors.some((e) => typeof (e as { message?: unknown })?.message !== 'string')) problems.push(`${status} on /graphql without errors[].message`);
    return problems;
  }
  if (!/^application\/problem\+json/.test(answer.contentType)) problems.push(`${status} with content-type "${answer.contentType}", not application/problem+json`);
  for (const field of ['type', 'title', 'detail'] as const) if (typeof obj[field] !== 'string') problems.push(`${status} problem without a string \`${field}\``);
  if (obj.status !== status) problems.push(`${status} problem whose \`status\` is ${JSON.stringify(obj.status)}`);
  const errors = obj.errors;
  const namesFields = typeof obj.type === 'string' && /\/(validation-failed|invalid-query)$/.test(obj.type);
  if (errors !== undefined || namesFields) {
    if (!Array.isArray(errors) || (namesFields && errors.length === 0)) problems.push(`${status} ${String(obj.type)} without errors[]`);
    else {
      for (const e of errors as { path?: unknown; message?: unknown }[]) {
        if (typeof e?.path !== 'string' || !JSON_POINTER.test(e.path)) problems.push(`${status} errors[].path ${JSON.stringify(e?.path)} is not a JSON Pointer`);
        if (typeof e?.message !== 'string') problems.push(`${status} errors[] entry without a message`);
      }
    }
  }
  return problems;
}

/** An event as the write check sees it (a RecordedEvent, or a row read from the store's file). */
export interface WrittenEvent {
  readonly type: string;
  readonly streamId: string;
  readonly revision: bigint | number;
}

/**
 * Events that a refused request may be followed by without having written them: the access log (a read of decision
 * data is recorded even when it fails) and the completion of a replay accepted earlier (202), appended to that
 * replay's existing stream when its job ends.
 */
export function isExplainedWithoutWrite(event: WrittenEvent): boolean {
  if (event.type === ACCESS_RECORDED) return true;
  return (event.type === REPLAY_COMPLETED || event.type === REPLAY_FAILED) && event.streamId.startsWith(REPLAY_STREAM_PREFIX) && BigInt(event.revision) > 0n;
}
