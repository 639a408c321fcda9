/** A `\uD800`–`\uDFFF` escape in JSON text: the only way a lone surrogate can reach a parsed body from UTF-8 bytes. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
/** With the u flag a well-formed pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;

const pointer = (path: readonly string[]): string => path.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('');

function find(value: unknown, path: string[]): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? pointer(path) : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return pointer([...path, key]);
    path.push(key);
    const at = find(child, path);
    path.pop();
    if (at !== undefined) return at;
  }
  return undefined;
}

/**
 * Where a parsed JSON body holds a string (or key) with a lone UTF-16 surrogate, as a JSON Pointer; undefined if none.
 * Such a string is not Unicode text: pseudonymising, hashing or storing it turns it into U+FFFD, so "card\uD800" and
 * "card\uDBFF" would become one card. `text` is the body as sent, checked first so that the walk runs only for a body
 * that has such an escape at all.
 */
export function loneSurrogateAt(text: string, parsed: unknown): string | undefined {
  return SURROGATE_ESCAPE.test(text) ? find(parsed, []) : undefined;
}
