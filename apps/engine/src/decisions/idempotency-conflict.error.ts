/** The transaction was already decided on a different request body. */
export class IdempotencyConflictError extends Error {
  constructor(
    readonly transactionId: string,
    readonly decisionId: string,
  ) {
    super(`Transaction "${transactionId}" was already decided (decision ${decisionId}) on a different request`);
    this.name = 'IdempotencyConflictError';
  }
}

/** The stream exists but holds no DecisionMade we can read: never expected, never hidden. */
export class CorruptDecisionStreamError extends Error {
  constructor(readonly streamId: string) {
    super(`Stream "${streamId}" exists but its first event is not a DecisionMade`);
    this.name = 'CorruptDecisionStreamError';
  }
}
