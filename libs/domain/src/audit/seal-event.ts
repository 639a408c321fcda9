import { z } from 'zod';
import type { AuditPeriodSealedV1, AuditSigningKeyAddedV1 } from './audit-events';

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const decimal = z.string().regex(/^(0|[1-9][0-9]{0,19})$/);

const sealSchema = z.object({
  schemaVersion: z.literal(1),
  index: z.number().int().min(0),
  fromPosition: decimal,
  toPosition: decimal,
  count: z.number().int().min(1),
  merkleRoot: hex(32),
  entriesSha256: hex(32),
  previousSealHash: hex(32).nullable(),
  sealedAt: z.string().min(1),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  signature: z.string().min(1),
  entries: z.string(),
});

const keySchema = z.object({
  schemaVersion: z.literal(1),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  algorithm: z.literal('ed25519'),
  publicKeyPem: z.string().min(1),
  addedAt: z.string().min(1),
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const parse = <T>(schema: z.ZodType<T>, data: unknown): Parsed<T> => {
  const r = schema.safeParse(data);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ') };
};

/** A stored AuditPeriodSealed, checked field by field (a tampered seal must be reported, not crash the verifier). */
export const parseSealEvent = (data: unknown): Parsed<AuditPeriodSealedV1> => parse(sealSchema as z.ZodType<AuditPeriodSealedV1>, data);
export const parseSigningKeyEvent = (data: unknown): Parsed<AuditSigningKeyAddedV1> => parse(keySchema as z.ZodType<AuditSigningKeyAddedV1>, data);
