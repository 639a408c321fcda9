/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as Array.prototype.sort does), no whitespace, numbers and
 * strings as JSON.stringify writes them. For JSON values this is RFC 8785 (JCS). Two requests that mean the same thing
 * hash the same, whatever the key order the client sent. Only JSON values are expected (the request was validated
 * first).
 *
 * Audit verification runs this over every stored event, so the usual case copies the value with its keys inserted in
 * sorted order and lets the native JSON.stringify write it (about twice as fast as building the string in JavaScript).
 * That is only exact when insertion order is iteration order: not for integer-like keys, which objects always list
 * first in numeric order, nor for "__proto__"; a value holding either is written key by key instead.
 */
export function canonicalJson(value: unknown): string {
  const sorted = sortedCopy(value);
  return (sorted === UNSORTABLE ? written(value) : JSON.stringify(sorted)) as string;
}

const UNSORTABLE = Symbol('unsortable');

/**
 * Values withSortedKeys has returned: their keys, and those of everything in them, are in sorted order. Such a value
 * (a request, a model snapshot, a whole event) is never changed afterwards, so it needs no second look when a larger
 * value holds it or when it is written: the decision path sorts an event once and writes it once.
 */
const SORTED = new WeakSet<object>();

/**
 * The value with every object's keys in sorted order (shared where already so), for objects built once and recorded
 * in many events (a model snapshot, a policy): canonicalJson then finds them in order and copies nothing. The result
 * must not be changed afterwards: it is remembered as sorted (SORTED).
 */
export function withSortedKeys<T>(value: T): T {
  const sorted = sortedCopy(value);
  if (sorted === UNSORTABLE) return value;
  if (typeof sorted === 'object' && sorted !== null) SORTED.add(sorted);
  return sorted as T;
}

/** Whether withSortedKeys returned this value: it is then in canonical form, and never changed afterwards. */
export function isCanonical(value: object): boolean {
  return SORTED.has(value);
}

/** The value with every object's keys in sorted insertion order; parts already in order are shared, not copied. */
function sortedCopy(value: unknown): unknown {
  // toJSON decides what is written (a Date, a Buffer): the key-by-key form calls it where JSON.stringify would, and
  // sorts what it returns. A value in SORTED was looked at when it went in.
  if (value === null || typeof value !== 'object') return hasToJSON(value) ? UNSORTABLE : value;
  if (SORTED.has(value)) return value;
  if (hasToJSON(value)) return UNSORTABLE;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const c = sortedCopy(v);
      if (c === UNSORTABLE) return UNSORTABLE;
      if (c !== v) (out ??= value.slice())[i] = c;
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let changed = false;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      changed = true;
      break;
    }
  }
  const values = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const c0 = k.charCodeAt(0);
    if ((c0 >= 48 && c0 <= 57) || k === '__proto__') return UNSORTABLE;
    const v = obj[k];
    const c = sortedCopy(v);
    if (c === UNSORTABLE) return UNSORTABLE;
    if (c !== v) changed = true;
    values[i] = c;
  }
  if (!changed) return obj;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i];
  return out;
}

/** Whether JSON.stringify would call this value's toJSON (it does for objects, functions and bigints). */
function hasToJSON(value: unknown): boolean {
  const type = typeof value;
  return ((type === 'object' && value !== null) || type === 'function' || type === 'bigint') && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** The general form, key by key, with JSON.stringify's rules: toJSON first; undefined, functions and symbols left out of objects and null in arrays. */
function written(input: unknown, key = ''): string | undefined {
  const value = hasToJSON(input) ? (input as { toJSON(k: string): unknown }).toJSON(key) : input;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += written(value[i], String(i)) ?? 'null';
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const w = written(obj[k], k);
    if (w === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(k)}:${w}`;
  }
  return `${out}}`;
}
