/** An id a caller may name (a decision, a transaction, a correlation): safe in paths, logs, headers and metadata as it is. */
export const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
