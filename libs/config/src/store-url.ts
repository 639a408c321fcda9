/** The URL schemes each networked store takes. */
const SCHEMES: Readonly<Record<string, readonly string[]>> = {
  postgres: ['postgres', 'postgresql'],
  esdb: ['esdb', 'esdb+discover'],
};

/**
 * What is wrong with a store's URL for its kind, if anything. A file-backed kind (sqlite, filesystem) takes a path:
 * given a URL, SQLite would create a database at a path spelled like it (`postgres:/user@host/db` under the working
 * directory) and the engine would run on it, unnoticed.
 */
export function storeUrlProblem(kind: string, url: string, kindVariable: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const schemes = SCHEMES[kind];
  if (!schemes) return scheme ? `is a URL (${scheme}://), but ${kindVariable}=${kind} takes a path (set ${kindVariable} to the URL's kind)` : undefined;
  if (scheme && schemes.includes(scheme)) return undefined;
  return `must be a URL of scheme ${schemes.map((s) => `${s}://`).join(' or ')} when ${kindVariable}=${kind}`;
}
