import { jsonPointer } from '@verdict/domain';

/**
 * The escapes in JSON text that can put unstorable characters in a parsed body: `\u0000`, and `\uD800`–`\uDFFF`. From
 * UTF-8 bytes nothing else can (JSON forbids a raw control character inside a string, and the bytes are checked).
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;
/** With the u flag a well-formed surrogate pair is one code point, so \p{Cs} matches lone surrogates only. */
const UNSTORABLE = /\p{Cs}|\u0000/u;


function find(value: unknown, path: string[]): { path: string; text: string } | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { path: jsonPointer(path), text: value } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return { path: jsonPointer([...path, key]), text: key };
    path.push(key);
    const at = find(child, path);
    path.pop();
    if (at !== undefined) return at;
  }
  return undefined;
}

/** Batch routes: there, one item's text fails that item alone (as any invalid item does), not the whole request. */
const PER_ITEM_ROUTES = new Set(['/v1/decisions/batch', '/v1/labels/batch']);
/** Batch bodies whose text has such an escape: only their items are walked. */
const suspectBodies = new WeakSet<object>();

/** Whether JSON text has an escape that may put unstorable characters in it; almost no body has (a regex scan). */
export const mayHoldUnstorableText = (text: string): boolean => SUSPECT_ESCAPE.test(text);

/** Whether a route answers unstorable text item by item (its body parser then only marks the body: markSuspectBody). */
export const checksTextPerItem = (routeUrl: string | undefined): boolean => routeUrl !== undefined && PER_ITEM_ROUTES.has(routeUrl);

/** Marks a batch body whose text holds a suspect escape, so that unstorableItemText walks its items. */
export function markSuspectBody(parsed: unknown): void {
  if (parsed !== null && typeof parsed === 'object') suspectBodies.add(parsed);
}

/** The first unstorable string of one item of a marked batch body, as a field error under `prefix`; else undefined. */
export function unstorableItemText(body: unknown, item: unknown, prefix: string): { readonly path: string; readonly message: string } | undefined {
  if (body === null || typeof body !== 'object' || !suspectBodies.has(body)) return undefined;
  return unstorableIn(item, prefix);
}

const messageFor = (text: string): string =>
  text.includes('\u0000')
    ? 'must not contain U+0000 (a \\u0000 escape): no store keeps it'
    : 'must be well-formed Unicode: it holds a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape not in a pair)';

/**
 * The first string (or key) of a parsed JSON value that no store can keep as it is, with why, its path under `prefix`;
 * undefined if none.
 * - A lone UTF-16 surrogate is not Unicode text: pseudonymising, hashing or storing it turns it into U+FFFD, so
 *   "card\uD800" and "card\uDBFF" would become one card.
 * - U+0000: PostgreSQL's text and jsonb cannot hold it, so the same request would be decided on SQLite and refused by
 *   the store on PostgreSQL.
 * Callers walk only a value whose text mayHoldUnstorableText.
 */
export function unstorableIn(value: unknown, prefix = ''): { readonly path: string; readonly message: string } | undefined {
  const hit = find(value, []);
  return hit && { path: prefix + hit.path, message: messageFor(hit.text) };
}

/** unstorableIn for a value parsed from `text`, walked only if the text has such an escape at all. */
export function unstorableTextAt(text: string, parsed: unknown): { readonly path: string; readonly message: string } | undefined {
  return mayHoldUnstorableText(text) ? unstorableIn(parsed) : undefined;
}
