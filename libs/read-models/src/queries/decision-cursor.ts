import { InvalidCursorError } from '../read-model.errors';

const POSITION = /^[1-9]\d{0,19}$/;
/** The largest position the read models hold: SQLite's INTEGER and PostgreSQL's bigint are signed 64-bit. */
export const MAX_STORED_POSITION = (1n << 63n) - 1n;

/** Opaque to clients: base64url of the decimal position of the last item on the page. */
export function encodeDecisionCursor(position: bigint): string {
  return Buffer.from(position.toString(), 'utf8').toString('base64url');
}

/** @throws InvalidCursorError for anything encodeDecisionCursor did not produce. */
export function decodeDecisionCursor(cursor: string): bigint {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cursor)) throw new InvalidCursorError(cursor);
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!POSITION.test(text)) throw new InvalidCursorError(cursor);
  const position = BigInt(text);
  // Canonical form only, so one page has exactly one cursor (and hand-edited ones are refused).
  if (position > MAX_STORED_POSITION || encodeDecisionCursor(position) !== cursor) throw new InvalidCursorError(cursor);
  return position;
}
