import type { Outcome } from '@verdict/domain';

/** What the engine needs from the read side (implemented by @verdict/read-models' DecisionQueries). */
export interface DecisionListFilter {
  readonly cardId?: string;
  readonly customerId?: string;
  readonly merchantId?: string;
  readonly outcome?: Outcome;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  readonly cursor?: string;
}

export interface DecisionLocation {
  readonly decisionId: string;
  readonly transactionId: string;
  readonly streamId: string;
}

export interface DecisionQueriesPort {
  list(filter: DecisionListFilter): Promise<{ items: readonly unknown[]; nextCursor: string | null }>;
  findLocation(decisionId: string): Promise<DecisionLocation | null>;
}
