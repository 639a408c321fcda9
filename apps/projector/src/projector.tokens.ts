/** Injection tokens of the projector process. */
export const VERDICT_CONFIG = Symbol('VERDICT_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_DATA_SOURCE = Symbol('READ_MODEL_DATA_SOURCE');
export const PROJECTIONS = Symbol('PROJECTIONS');
