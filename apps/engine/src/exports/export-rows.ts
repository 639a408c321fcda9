import { ERASED, isPseudonym, PERSONAL_FIELDS, PSEUDONYM_PREFIX, pseudonymsIn, revealRequest, type DecisionMade, type DecisionRequest, type PersonalEnvelope, type PersonalField } from '@verdict/domain';
import type { SealRef } from '../audit/seal-index.port';
import type { DecisionListFilter } from '../decisions/decision-queries.port';

/** An exported decision's seal: which seal covers it and that seal's hash; null until it is sealed. */
export type ExportSeal = { readonly index: number; readonly sealHash: string } | null;

export const toExportSeal = (ref: SealRef | null): ExportSeal => (ref ? { index: ref.index, sealHash: ref.sealHash } : null);

/**
 * The decision list's filters as the export applies them to events. `cardId` and `customerId` are given in the clear;
 * an event holds either that clear value (before DecisionMade v4, or card ids that are tokens) or its pseudonym, so
 * `inLog` lists both. A row passes on them when its value, as the export shows it, equals the filter's: the clear
 * value, or the pseudonym of a subject whose key still lives (checked once revealed: see passesRevealed). A row whose
 * value shows as ERASED never matches a filter on it, whichever card or customer id is asked for.
 */
export interface RowFilter {
  readonly list: DecisionListFilter;
  readonly inLog: { readonly cardId?: readonly string[]; readonly customerId?: readonly string[] };
}

/** The accepted forms of each personal filter value: the clear value, and its pseudonym under this master key. */
export function rowFilter(list: DecisionListFilter, pseudonym: (field: PersonalField, value: string) => string): RowFilter {
  const forms = (field: 'cardId' | 'customerId') => {
    const clear = list[field] as string | undefined; // the export's parameters give one value
    return clear === undefined ? undefined : [clear, pseudonym(field, clear)];
  };
  return { list, inLog: { cardId: forms('cardId'), customerId: forms('customerId') } };
}

/** Does a decision (upcast from the store, not yet revealed) pass the decision list's filters? Same semantics as the read model's. */
export function matchesFilter(event: DecisionMade, filter: RowFilter): boolean {
  const r = event.request;
  const f = filter.list;
  if (filter.inLog.cardId !== undefined && !filter.inLog.cardId.includes(r.cardId)) return false;
  if (filter.inLog.customerId !== undefined && (r.customerId === undefined || !filter.inLog.customerId.includes(r.customerId))) return false;
  if (f.merchantId !== undefined && r.merchantId !== f.merchantId) return false;
  if (f.outcome !== undefined && event.outcome !== f.outcome) return false;
  if (f.model !== undefined && event.model.name !== f.model) return false;
  if (f.modelVersion !== undefined && event.model.version !== f.modelVersion) return false;
  if (f.arm !== undefined && event.deployment.arm !== f.arm) return false;
  if (f.from !== undefined || f.to !== undefined) {
    const decidedAt = Date.parse(event.decidedAt);
    if (f.from !== undefined && decidedAt < f.from.getTime()) return false;
    if (f.to !== undefined && decidedAt >= f.to.getTime()) return false;
  }
  return true;
}

/** A row that matched in the log still matches once revealed (its card and customer show the filter's clear values). */
export function passesRevealed(shown: { readonly request: DecisionRequest }, filter: RowFilter): boolean {
  return (filter.list.cardId === undefined || shown.request.cardId === filter.list.cardId) && (filter.list.customerId === undefined || shown.request.customerId === filter.list.customerId);
}

/** The pseudonyms a stored event holds: only DecisionMade v4 has any (older requests are in the clear, whatever they look like). */
export const pseudonymsOf = (storedSchemaVersion: unknown, event: DecisionMade): string[] => (storedSchemaVersion === 4 ? pseudonymsIn(event.request) : []);

/**
 * A decision as the export writes it: its request's personal values in the clear while the subject's key lives, else
 * ERASED (revealRequest), never a pseudonym. `clear` undefined: the request holds no pseudonym (before v4 it is in the
 * clear, even a value that looks like one) and is shown as it is. The `personal` envelope is left out: it is
 * ciphertext the reader cannot open, and its subject reference and key id would link an erased subject's rows to one
 * another in a file that outlives the erasure. `requestHash` stays: it is taken over the request as the log holds it
 * (pseudonymised), which GET /v1/decisions/{id} gives as `storedRequest`, not over the request shown here.
 */
export function exportedDecision<T extends { readonly request: DecisionRequest; readonly personal?: PersonalEnvelope }>(
  event: T,
  clear: ReadonlyMap<string, string> | undefined,
): Omit<T, 'personal'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { personal: _sealed, ...rest } = event;
  return clear === undefined ? rest : { ...rest, request: revealRequest(event.request, clear) };
}

/**
 * JSONL: the whole DecisionMade (current schema, as exportedDecision shows it) plus its log position and seal, one
 * object per line. `json` is the decision's JSON: the event's data as the store holds it when that is exactly what
 * the row shows (no upcasting, no pseudonym to reveal, no envelope to leave out), or that text revealed
 * (revealStoredJson), spliced in as it is rather than parsed and written again (this runs for every row of a large
 * export); otherwise exportedDecision's object, stringified.
 */
export function jsonlRow(position: bigint, seal: ExportSeal, json: string): string {
  return `${json.slice(0, json.lastIndexOf('}'))},"position":"${position}","seal":${seal ? `{"index":${seal.index},"sealHash":${JSON.stringify(seal.sealHash)}}` : 'null'}}\n`;
}

type Cell = string | number | null | undefined;

/**
 * The CSV columns, fixed and in this order (documented in docs/audit.md). Numbers as JavaScript prints them (they
 * read back exactly); empty for a missing optional value.
 */
export const CSV_COLUMNS: ReadonlyArray<readonly [header: string, cell: (e: Omit<DecisionMade, 'personal'>, position: bigint, seal: ExportSeal) => Cell]> = [
  ['decisionId', (e) => e.decisionId],
  ['transactionId', (e) => e.transactionId],
  ['decidedAt', (e) => e.decidedAt],
  ['position', (_e, p) => p.toString()],
  ['cardId', (e) => e.request.cardId],
  ['customerId', (e) => e.request.customerId],
  ['merchantId', (e) => e.request.merchantId],
  ['amount', (e) => e.request.amount],
  ['currency', (e) => e.request.currency],
  ['channel', (e) => e.request.channel],
  ['country', (e) => e.request.country],
  ['outcome', (e) => e.outcome],
  ['score', (e) => e.score],
  ['modelName', (e) => e.model.name],
  ['modelVersion', (e) => e.model.version],
  ['modelSha256', (e) => e.model.sha256],
  ['policyVersion', (e) => e.policy.version],
  ['reviewThreshold', (e) => e.policy.reviewThreshold],
  ['declineThreshold', (e) => e.policy.declineThreshold],
  ['arm', (e) => e.deployment.arm],
  ['deploymentRevision', (e) => e.deployment.revision],
  ['topReasonFeature', (e) => e.reasons[0]?.feature],
  ['topReasonContribution', (e) => e.reasons[0]?.contribution],
  ['sealIndex', (_e, _p, s) => s?.index],
  ['sealHash', (_e, _p, s) => s?.sealHash],
];

const NEEDS_QUOTES = /[",\r\n]/;
/**
 * What a spreadsheet reads as the start of a formula (OWASP, CSV injection), and the quote itself: a value that
 * starts with one gets another, so that stripping one leading quote always gives the value back.
 */
const NEEDS_PREFIX = /^[=+\-@\t\r']/;

/**
 * RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled. A text cell (a
 * string: card, customer and merchant ids, transaction ids, model and feature names…) that starts like a formula is
 * prefixed with `'`, so that a spreadsheet shows it as text instead of running it: those values are the caller's. So is
 * one that starts with `'` itself, so that one leading quote always comes off again.
 * Numbers are never prefixed (a negative amount or contribution stays a number); JSONL keeps every value as it is.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' && NEEDS_PREFIX.test(value) ? `'${value}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 records end in CRLF. */
export const CSV_HEADER = `${CSV_COLUMNS.map(([header]) => header).join(',')}\r\n`;

export function csvRow(event: Omit<DecisionMade, 'personal'>, position: bigint, seal: ExportSeal): string {
  let line = '';
  for (let i = 0; i < CSV_COLUMNS.length; i++) line += (i === 0 ? '' : ',') + csvField(CSV_COLUMNS[i][1](event, position, seal));
  return `${line}\r\n`;
}

/** The `personal` member of a stored DecisionMade, from its key: the envelope's values are base64url or pseudonyms, never a brace. */
const PERSONAL_MEMBER = /"personal":\s*\{"(?:subject|keyId|iv|data)":\s*"[^{}]*\}/y;

/** Where the one `personal` member is, with the comma before it: undefined unless there is exactly one. */
function envelopeSpan(text: string): [at: number, length: number] | undefined {
  let found: [number, number] | undefined;
  for (let key = text.indexOf('"personal"'); key >= 0; key = text.indexOf('"personal"', key + 10)) {
    PERSONAL_MEMBER.lastIndex = key;
    const m = PERSONAL_MEMBER.exec(text);
    if (!m) continue;
    let at = key - 1;
    while (at >= 0 && (text[at] === ' ' || text[at] === '\n')) at--;
    if (found || text[at] !== ',') return undefined;
    found = [at, key + m[0].length - at];
  }
  return found;
}

/**
 * The stored text of a DecisionMade v4 as exportedDecision shows it, without parsing and writing it again: each
 * pseudonym of its request (each found exactly once in the text) replaced by its clear value's JSON or by ERASED, and
 * the `personal` member cut out. Undefined when the text is not that plain (a pseudonym found twice or not at all, not
 * exactly one envelope, a field's clear value that is not a string): the caller then writes exportedDecision's event.
 */
export function revealStoredJson(storedJson: string, request: DecisionRequest, clear: ReadonlyMap<string, string>): string | undefined {
  const envelope = envelopeSpan(storedJson);
  if (!envelope) return undefined;
  // Each pseudonym of the request, and whether it is a field (shown as a string): one scan of the text finds them all.
  const wanted = new Map<string, { field: boolean; at: number }>();
  const want = (pseudonym: string, field: boolean): boolean => !wanted.has(pseudonym) && Boolean(wanted.set(pseudonym, { field, at: -1 }));
  for (const field of PERSONAL_FIELDS) {
    const value = request[field];
    if (isPseudonym(value) && !want(value, true)) return undefined;
  }
  for (const value of Object.values(request.attributes ?? {})) if (isPseudonym(value) && !want(value, false)) return undefined;
  const edits: [at: number, length: number, text: string][] = [[envelope[0], envelope[1], '']];
  for (let at = storedJson.indexOf(QUOTED_PREFIX); at >= 0; at = storedJson.indexOf(QUOTED_PREFIX, at + 1)) {
    const close = storedJson.indexOf('"', at + 1);
    const found = close < 0 ? undefined : wanted.get(storedJson.slice(at + 1, close));
    if (!found) continue;
    if (found.at >= 0) return undefined; // twice
    found.at = at;
    const json = clear.get(storedJson.slice(at + 1, close)) ?? ERASED_JSON;
    if (found.field && json[0] !== '"') return undefined; // revealValue shows it as a string
    edits.push([at, close + 1 - at, json]);
  }
  for (const { at } of wanted.values()) if (at < 0) return undefined; // not at all
  edits.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  for (const [at, length, text] of edits) {
    if (at < from) return undefined;
    out += storedJson.slice(from, at) + text;
    from = at + length;
  }
  return out + storedJson.slice(from);
}

const ERASED_JSON = JSON.stringify(ERASED);
const QUOTED_PREFIX = `"${PSEUDONYM_PREFIX}`;
