import type { DecisionMade } from '@verdict/domain';
import type { SealRef } from '../audit/seal-index.port';
import type { DecisionListFilter } from '../decisions/decision-queries.port';

/** An exported decision's seal: which seal covers it and that seal's hash; null until it is sealed. */
export type ExportSeal = { readonly index: number; readonly sealHash: string } | null;

export const toExportSeal = (ref: SealRef | null): ExportSeal => (ref ? { index: ref.index, sealHash: ref.sealHash } : null);

/** Does a decision (upcast from the store) pass the decision list's filters? Same semantics as the read model's. */
export function matchesFilter(event: DecisionMade, filter: DecisionListFilter): boolean {
  const r = event.request;
  if (filter.cardId !== undefined && r.cardId !== filter.cardId) return false;
  if (filter.customerId !== undefined && r.customerId !== filter.customerId) return false;
  if (filter.merchantId !== undefined && r.merchantId !== filter.merchantId) return false;
  if (filter.outcome !== undefined && event.outcome !== filter.outcome) return false;
  if (filter.model !== undefined && event.model.name !== filter.model) return false;
  if (filter.modelVersion !== undefined && event.model.version !== filter.modelVersion) return false;
  if (filter.arm !== undefined && event.deployment.arm !== filter.arm) return false;
  if (filter.from !== undefined || filter.to !== undefined) {
    const decidedAt = Date.parse(event.decidedAt);
    if (filter.from !== undefined && decidedAt < filter.from.getTime()) return false;
    if (filter.to !== undefined && decidedAt >= filter.to.getTime()) return false;
  }
  return true;
}

/**
 * JSONL: the whole DecisionMade (current schema) plus its log position and seal, one object per line. `storedJson` is
 * the event's data as the store holds it; when the event needed no upcasting it is spliced in as it is, rather than
 * the parsed event written out again (this runs for every row of a large export).
 */
export function jsonlRow(event: DecisionMade, position: bigint, seal: ExportSeal, storedJson?: string): string {
  const json = storedJson ?? JSON.stringify(event);
  return `${json.slice(0, json.lastIndexOf('}'))},"position":"${position}","seal":${seal ? `{"index":${seal.index},"sealHash":${JSON.stringify(seal.sealHash)}}` : 'null'}}\n`;
}

type Cell = string | number | null | undefined;

/**
 * The CSV columns, fixed and in this order (documented in docs/audit.md). Numbers as JavaScript prints them (they
 * read back exactly); empty for a missing optional value.
 */
export const CSV_COLUMNS: ReadonlyArray<readonly [header: string, cell: (e: DecisionMade, position: bigint, seal: ExportSeal) => Cell]> = [
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

/** RFC 4180: a field with a comma, a double quote or a line break is quoted, its quotes doubled. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 records end in CRLF. */
export const CSV_HEADER = `${CSV_COLUMNS.map(([header]) => header).join(',')}\r\n`;

export function csvRow(event: DecisionMade, position: bigint, seal: ExportSeal): string {
  let line = '';
  for (let i = 0; i < CSV_COLUMNS.length; i++) line += (i === 0 ? '' : ',') + csvField(CSV_COLUMNS[i][1](event, position, seal));
  return `${line}\r\n`;
}
