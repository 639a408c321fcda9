/** Injection tokens for the ports; modules bind them to adapters chosen by configuration. */
export const VERDICT_CONFIG = Symbol('VERDICT_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const MODEL_RUNTIME = Symbol('MODEL_RUNTIME');
export const ACTIVE_POLICY = Symbol('ACTIVE_POLICY');
export const READ_MODEL_DATA_SOURCE = Symbol('READ_MODEL_DATA_SOURCE');
export const DECISION_QUERIES = Symbol('DECISION_QUERIES');
export const PROJECTION_RUNNER = Symbol('PROJECTION_RUNNER');
export const LOGGER = Symbol('LOGGER');
