/** Injection tokens of the GraphQL API's ports. */
export const DECISION_STREAMS = Symbol('DECISION_STREAMS');
