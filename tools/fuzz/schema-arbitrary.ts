import fc from 'fast-check';

/** The subset of JSON Schema (OpenAPI 3.1) that Verdict's document uses for request bodies and parameters. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly maxProperties?: number;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly $defs?: Record<string, JsonSchema>;
}

export type SchemaResolver = (ref: string) => JsonSchema;

/** `#/components/schemas/X` against the document it came from. */
export function refResolver(document: { components?: { schemas?: Record<string, JsonSchema> } }): SchemaResolver {
  return (ref) => {
    const name = ref.replace(/^#\/components\/schemas\//, '');
    const found = document.components?.schemas?.[name];
    if (!found) throw new Error(`unresolvable $ref ${ref}`);
    return found;
  };
}

const MAX_DEPTH = 6;

/** `#/$defs/X` inside a schema that carries its own definitions (zod's recursive types), then the outer resolver. */
function withDefs(outer: SchemaResolver, defs: Record<string, JsonSchema>): SchemaResolver {
  return (ref) => {
    const local = /^#\/\$defs\/(.+)$/.exec(ref);
    return local && defs[local[1] as string] ? (defs[local[1] as string] as JsonSchema) : outer(ref);
  };
}

/**
 * Values the schema accepts, as far as the schema says (pattern, range, enum, required properties, items): the
 * "valid" starting point that near-valid requests mutate one field of. Semantics the schema cannot state (an
 * existing id, `from` before `to`) are left to chance, which is the point.
 */
export function schemaArbitrary(schema: JsonSchema, outer: SchemaResolver, depth = 0): fc.Arbitrary<unknown> {
  const resolve = schema.$defs ? withDefs(outer, schema.$defs) : outer;
  if (schema.$ref) return depth > MAX_DEPTH * 2 ? fc.constant(null) : schemaArbitrary(resolve(schema.$ref), resolve, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((s) => schemaArbitrary(s, resolve, depth + 1)));
  if (schema.allOf) return schemaArbitrary(Object.assign({}, ...schema.allOf.map((s) => (s.$ref ? resolve(s.$ref) : s))) as JsonSchema, resolve, depth);
  const types = schema.type === undefined ? [inferType(schema)] : Array.isArray(schema.type) ? schema.type : [schema.type as string];
  return fc.oneof(...types.map((t) => typed(t, schema, resolve, depth)));
}

function inferType(schema: JsonSchema): string {
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  if (schema.pattern || schema.format) return 'string';
  return 'any';
}

function typed(type: string, schema: JsonSchema, resolve: SchemaResolver, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1_000_000)), max: Math.floor(schema.maximum ?? 1_000_000) });
    case 'number': {
      const min = schema.exclusiveMinimum ?? schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: schema.exclusiveMinimum !== undefined }).map((n) => (Object.is(n, -0) ? 0 : n));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth >= MAX_DEPTH) return fc.constant([]);
      const items = schema.items ? schemaArbitrary(schema.items, resolve, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, Math.max(schema.minItems ?? 0, 4)) });
    }
    case 'object':
      return objectArbitrary(schema, resolve, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Dates and date-times drawn from the past: the engine refuses transactions and labels dated in the future. */
const DATES = { min: new Date('2020-01-01T00:00:00Z'), max: new Date('2026-06-01T00:00:00Z'), noInvalidDate: true };

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date(DATES).map((d) => d.toISOString());
  if (schema.format === 'date') return fc.date(DATES).map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'binary') return fc.string();
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 200));
  if (schema.pattern) {
    // fast-check generates from the regular expression itself; bounded lengths stay inside the pattern's own.
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot generate from: any string of the right length (mostly refused, also useful).
    }
  }
  return fc.string({ minLength, maxLength });
}

function objectArbitrary(schema: JsonSchema, resolve: SchemaResolver, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) return depth >= MAX_DEPTH ? fc.constant({}) : fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()), { maxKeys: Math.min(schema.maxProperties ?? 4, 4) });
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of names) record[name] = schemaArbitrary(properties[name] as JsonSchema, resolve, depth + 1);
  const required = (schema.required ?? []).filter((n) => names.includes(n));
  return fc.record(record, { requiredKeys: required });
}
