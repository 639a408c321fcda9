import type { DecisionSummary, DecisionSummaryPage } from '@verdict/read-models';

/** One item of GET /v1/decisions (OpenAPI `DecisionSummary`): `position` is a number, as in every other response. */
export type DecisionListItem = Omit<DecisionSummary, 'position'> & { readonly position: number };

/** GET /v1/decisions (OpenAPI `DecisionPage`). */
export interface DecisionPage {
  readonly items: readonly DecisionListItem[];
  /** null on the last page. */
  readonly nextCursor: string | null;
}

/** The one conversion from the read model's summaries (exact decimal positions) to the API's. */
export const toDecisionListItem = (item: DecisionSummary): DecisionListItem => ({ ...item, position: Number(item.position) });

export function toDecisionPage(page: DecisionSummaryPage): DecisionPage {
  return { items: page.items.map(toDecisionListItem), nextCursor: page.nextCursor };
}
