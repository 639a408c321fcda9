import fc from 'fast-check';
import { refResolver, schemaArbitrary, type JsonSchema, type SchemaResolver } from './schema-arbitrary';

/** One operation of the OpenAPI document, as much of it as the generators need. */
export interface FuzzOperation {
  /** `POST /v1/decisions`: the template, as the document names it. */
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: JsonSchema }[];
  /** Content type → schema of the request body, if the operation takes one. */
  readonly body?: Readonly<Record<string, JsonSchema>>;
  /** Status → content types the document declares for it. */
  readonly responses: Readonly<Record<string, readonly string[]>>;
  readonly roles: readonly string[] | 'public';
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { parameters?: FuzzOperation['parameters']; requestBody?: { content: Record<string, { schema?: JsonSchema }> }; responses?: Record<string, { content?: Record<string, unknown> }>; 'x-verdict-roles'?: readonly string[] | 'public' }>>;
  readonly components?: { schemas?: Record<string, JsonSchema> };
}

/** A request ready to send (the caller adds the credential). `kind` says how it was made, for the report. */
export interface HostileRequest {
  readonly operation: string;
  readonly kind: 'valid' | 'near-valid' | 'arbitrary-json' | 'raw-text' | 'wrong-content-type' | 'no-body' | 'multipart';
  readonly method: string;
  /** Path and query string, already encoded (possibly badly, on purpose). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** What the mutation did, for a readable counterexample. */
  readonly mutation?: string;
}

/** Values that exist on the engine under test, by path-parameter name (decisionId, name, version …): reaching past the 404s. */
export type KnownValues = Readonly<Record<string, readonly string[]>>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** encodeURIComponent that takes any string: lone surrogates (which it throws on) become U+FFFD first. */
export const encode = (s: string): string => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** Every operation in the document, walked, so a new route is fuzzed without anyone listing it. */
export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const found: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const body = op.requestBody ? Object.fromEntries(Object.entries(op.requestBody.content).map(([type, media]) => [type, media.schema ?? {}])) : undefined;
      const responses = Object.fromEntries(Object.entries(op.responses ?? {}).map(([status, r]) => [status, Object.keys(r.content ?? {})]));
      found.push({ id: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, parameters: op.parameters ?? [], body, responses, roles: op['x-verdict-roles'] ?? [] });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile values

const LONG = [1_000, 10_000, 70_000];

/** Strings a validator must survive: unicode of every kind, lone surrogates, control characters, NaN-like text, long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1F', 'null', 'true', 'undefined', '[object Object]', '\u0000', '\ud800', '\udfff', '💳', 'é', 'e\u0301', '\u202e', '%00', '../..', '<script>', "'; DROP TABLE events; --", '{{7*7}}', '${jndi:x}', '\r\nX-Injected: 1'),
  fc.constantFrom(...LONG).chain((n) => fc.constantFrom('x', '9', 'é', '💳').map((c) => c.repeat(n))),
);

/** Nested `depth` times: arrays or objects, the way a parser's recursion is reached. */
function nested(depth: number, asObject: boolean): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i += 1) v = asObject ? { a: v } : [v];
  return v;
}

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, -0, 1e308, -1e308, 1e21, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, 0.1 + 0.2, 1e9 + 1, -1e9) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean()).map(([d, o]) => nested(d, o)) },
  { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 0, maxLength: 2_000 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 60 }) },
);

/** Every JSON Pointer path into `value` ('' is the whole document), with the parent container of each. */
function pathsOf(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  out.push(prefix);
  if (value !== null && typeof value === 'object' && prefix.length < 8) {
    for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...prefix, key], out);
  }
  return out;
}

type Mutation = { op: 'replace'; at: string[]; value: unknown } | { op: 'remove'; at: string[] } | { op: 'add'; at: string[]; key: string; value: unknown };

function applyMutation(valid: unknown, m: Mutation): unknown {
  const copy = structuredClone(valid) as Record<string, unknown>;
  if (m.at.length === 0) return m.op === 'replace' ? m.value : m.op === 'add' && copy !== null && typeof copy === 'object' ? { ...copy, [m.key]: m.value } : copy;
  let parent: Record<string, unknown> = copy;
  for (const key of m.at.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = m.at[m.at.length - 1] as string;
  if (m.op === 'replace') parent[last] = m.value;
  else if (m.op === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[m.key] = m.value;
    else parent[last] = { [m.key]: m.value };
  }
  return copy;
}

const describe = (m: Mutation): string => `${m.op} /${m.at.join('/')}${m.op === 'add' ? ` +${JSON.stringify(m.key).slice(0, 40)}` : ''}`;

/** A valid value with one field mutated: a wrong type, a hostile value, removed, or an extra field beside it. */
export function nearValid(valid: fc.Arbitrary<unknown>): fc.Arbitrary<{ value: unknown; mutation: string }> {
  return valid.chain((v) => {
    const paths = pathsOf(v);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.constantFrom(...paths), value: hostileValue }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), at: fc.constantFrom(...(paths.length > 1 ? paths.slice(1) : paths)) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.constantFrom(...paths), key: fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra')), value: hostileValue }) },
    );
    return mutation.map((m) => ({ value: applyMutation(v, m), mutation: describe(m) }));
  });
}

/** JSON text that is not JSON, or not UTF-8, or not what its length says. */
const rawText: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '{', '}', '{"a":', '[1,2', '{"amount": NaN}', '{"amount": Infinity}', '{"a":1}{"b":2}', "{'a':1}", '{"a":1,}', 'null', '0', '"x"', '\ufeff{}', '{"__proto__":{"polluted":true}}', '{"a":"\\ud800"}', '{"a":1e999}'),
  fc.uint8Array({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v)?.slice(0, -1) ?? ''),
);

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=UTF-8'];
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/problem+json', 'application/json; charset=latin1', 'application/octet-stream', 'text/json', 'application/jsonx', '*/*', ';', 'application/json, text/plain'];

// ---------------------------------------------------------------------------------------------------------------
// Paths, queries and headers

/** A path segment as the router sees it: valid-looking, a known id, or hostile, and sometimes badly encoded. */
function segment(name: string, schema: JsonSchema | undefined, resolve: SchemaResolver, known: KnownValues, routes: boolean): fc.Arbitrary<string> {
  const pool = known[name] ?? [];
  if (routes) return fc.oneof(...(pool.length > 0 ? [fc.constantFrom(...pool)] : []), fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/));
  const valid = schema ? schemaArbitrary(schema, resolve).map(String) : fc.string();
  return fc.oneof(
    ...(pool.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...pool).map(encode) }] : []),
    { weight: 2, arbitrary: valid.map(encode) },
    { weight: 3, arbitrary: hostileString.map((s) => encode(s.slice(0, 3_000))) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%2e%2e', '..', '.', '%ff%fe', '~', ';a=b', 'a%20b', '%C0%AF') },
  );
}

function queryString(op: FuzzOperation, resolve: SchemaResolver): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const pair = (name: fc.Arbitrary<string>, value: fc.Arbitrary<string>) => fc.tuple(name, value).map(([n, v]) => `${encode(n)}=${encode(v)}`);
  const declared = params.map((p) =>
    pair(
      fc.constant(p.name),
      fc.oneof({ weight: 3, arbitrary: p.schema ? schemaArbitrary(p.schema, resolve).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) : fc.string() }, { weight: 2, arbitrary: hostileString.map((s) => s.slice(0, 3_000)) }),
    ),
  );
  const extra = pair(hostileString.map((s) => s.slice(0, 100)), hostileString.map((s) => s.slice(0, 100)));
  const rawJunk = fc.constantFrom('%', '%zz', '&&&', '==', 'a=%E0%A4%A', 'limit=1&limit=2', 'limit[]=1', 'from=2026-13-45T99:99:99Z', 'limit=-1', 'limit=1e3', 'limit=0x10', 'cursor=%00', 'a');
  const one = fc.oneof(...(declared.length > 0 ? [{ weight: 6, arbitrary: fc.oneof(...declared) }] : []), { weight: 1, arbitrary: extra }, { weight: 1, arbitrary: rawJunk });
  return fc.array(one, { maxLength: 5 }).map((parts) => (parts.length === 0 ? '' : `?${parts.join('&')}`));
}

/** Header values that fetch will send (visible ASCII and Latin-1, no line breaks). */
const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\x00-\x1f\x7f]/g, '').trim()),
  fc.constantFrom('"1"', '"abc"', '*', 'W/"1"', '"-1"', '"99999999999999999999"', '', 'x'.repeat(4_000), 'reviewer-1'),
);

// ---------------------------------------------------------------------------------------------------------------
// Whole requests

export interface GeneratorOptions {
  readonly known?: KnownValues;
  /** Path segments that always reach the route (known ids or plain ones): for properties about who may call it. */
  readonly pathsThatRoute?: boolean;
}

/** Every hostile request against one operation: path, query, headers and body together. */
export function hostileRequests(op: FuzzOperation, document: OpenApiDocument, options: GeneratorOptions = {}): fc.Arbitrary<HostileRequest> {
  const resolve = refResolver(document);
  const known = options.known ?? {};
  const pathParams = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  const segments = fc.tuple(...pathParams.map((name) => segment(name, op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema, resolve, known, options.pathsThatRoute ?? false)));
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const headers = fc.tuple(...headerParams.map((p) => fc.option(headerValue, { nil: undefined }))).map((values) => {
    const h: Record<string, string> = {};
    values.forEach((v, i) => {
      if (v !== undefined) h[(headerParams[i] as { name: string }).name.toLowerCase()] = v;
    });
    return h;
  });
  const target = fc.tuple(segments, queryString(op, resolve)).map(([values, query]) => {
    let i = 0;
    return op.path.replace(/\{[^}]+\}/g, () => values[i++] as string) + query;
  });
  return fc.tuple(target, headers, bodyOf(op, resolve)).map(([t, h, b]) => ({
    operation: op.id,
    method: op.method,
    target: t,
    kind: b.kind,
    mutation: b.mutation,
    headers: { ...h, ...b.headers },
    body: b.body,
  }));
}

interface BodyPart {
  readonly kind: HostileRequest['kind'];
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly mutation?: string;
}

function bodyOf(op: FuzzOperation, resolve: SchemaResolver): fc.Arbitrary<BodyPart> {
  if (!op.body) return fc.constant({ kind: 'no-body', headers: {} });
  const jsonSchema = op.body['application/json'];
  const json = (value: unknown, kind: BodyPart['kind'], mutation?: string): fc.Arbitrary<BodyPart> =>
    fc.constantFrom(...JSON_TYPES).map((type) => ({ kind, mutation, headers: { 'content-type': type }, body: JSON.stringify(value) ?? 'null' }));
  const valid = jsonSchema ? schemaArbitrary(jsonSchema, resolve) : fc.jsonValue({ maxDepth: 2 });
  const wrongType = fc.tuple(fc.constantFrom(...WRONG_TYPES, ''), fc.oneof(valid.map((v) => JSON.stringify(v) ?? ''), rawText)).map(([type, body]): BodyPart => ({ kind: 'wrong-content-type', headers: type === '' ? {} : { 'content-type': type }, body }));
  const multipartSchema = op.body['multipart/form-data'];
  return fc.oneof(
    { weight: 1, arbitrary: valid.chain((v) => json(v, 'valid')) },
    { weight: 5, arbitrary: nearValid(valid).chain(({ value, mutation }) => json(value, 'near-valid', mutation)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).chain((v) => json(v, 'arbitrary-json')) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...JSON_TYPES), rawText).map(([type, body]): BodyPart => ({ kind: 'raw-text', headers: { 'content-type': type }, body })) },
    { weight: 1, arbitrary: wrongType },
    ...(multipartSchema ? [{ weight: 3, arbitrary: multipart(multipartSchema, resolve) }] : []),
  );
}

/** multipart/form-data with each part's content valid, mutated or junk (model bytes that are not ONNX, say). */
function multipart(schema: JsonSchema, resolve: SchemaResolver): fc.Arbitrary<BodyPart> {
  const parts = Object.entries(schema.properties ?? {});
  const partValue = (s: JsonSchema): fc.Arbitrary<string | Uint8Array> =>
    s.format === 'binary'
      ? fc.oneof(fc.uint8Array({ maxLength: 2_000 }), fc.constantFrom(new Uint8Array([0x08, 0x07, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74])))
      : fc.oneof(schemaArbitrary(s, resolve).map((v) => JSON.stringify(v)), nearValid(schemaArbitrary(s, resolve)).map((m) => JSON.stringify(m.value) ?? ''), hostileString);
  return fc
    .tuple(
      fc.tuple(...parts.map(([name, s]) => fc.option(partValue(s), { freq: 4, nil: undefined }).map((v) => [name, v] as const))),
      fc.option(fc.tuple(hostileString.map((s) => s.slice(0, 50)), hostileString.map((s) => s.slice(0, 200))), { nil: undefined }),
      fc.boolean(),
    )
    .map(([values, extra, truncated]) => {
      const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
      const chunks: (string | Uint8Array)[] = [];
      for (const [name, v] of [...values, ...(extra ? [extra] : [])]) {
        if (v === undefined) continue;
        const file = typeof v !== 'string';
        chunks.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name.replace(/["\r\n]/g, '')}"${file ? `; filename="${name}.onnx"` : ''}\r\n${file ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`, v, '\r\n');
      }
      if (!truncated) chunks.push(`--${boundary}--\r\n`);
      const body = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c))));
      return { kind: 'multipart', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: new Uint8Array(body) };
    });
}

/** Requests over all operations, each as likely as the next. */
export function anyHostileRequest(operations: readonly FuzzOperation[], document: OpenApiDocument, options: GeneratorOptions = {}): fc.Arbitrary<HostileRequest> {
  return fc.oneof(...operations.map((op) => hostileRequests(op, document, options)));
}

/** A counterexample as a one-line, copyable description. */
export function describeRequest(r: HostileRequest): string {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(Buffer.from(r.body).toString('latin1'));
  return `${r.method} ${r.target.slice(0, 300)} [${r.kind}${r.mutation ? `: ${r.mutation}` : ''}] headers=${JSON.stringify(r.headers).slice(0, 200)} body=${body.slice(0, 300)}${body.length > 300 ? `…(${body.length} chars)` : ''}`;
}
