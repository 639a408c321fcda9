/** Injection tokens for the ports; modules bind them to adapters chosen by configuration. */
export const VERDICT_CONFIG = Symbol('VERDICT_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_DATA_SOURCE = Symbol('READ_MODEL_DATA_SOURCE');
export const DECISION_QUERIES = Symbol('DECISION_QUERIES');
export const PROJECTION_RUNNER = Symbol('PROJECTION_RUNNER');
export const LOGGER = Symbol('LOGGER');
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');
export const DEPLOYMENT_HISTORY = Symbol('DEPLOYMENT_HISTORY');
export const MODEL_LIST = Symbol('MODEL_LIST');
export const DECISION_RANGES = Symbol('DECISION_RANGES');
export const REVIEW_QUEUE = Symbol('REVIEW_QUEUE');
export const MODEL_PERFORMANCE = Symbol('MODEL_PERFORMANCE');
export const ALERTS = Symbol('ALERTS');
