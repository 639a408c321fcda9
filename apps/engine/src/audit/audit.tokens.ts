/** The engine's signing key (apps/engine/src/audit/signing-key-file.ts). */
export const AUDIT_SIGNING_KEY = Symbol('AUDIT_SIGNING_KEY');
