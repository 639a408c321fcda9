import { z } from 'zod';

/** POST /v1/audit/verifications: optionally, public keys (SPKI PEM) to trust instead of those on `audit-keys`. */
export const verificationRequestSchema = z
  .object({
    publicKeys: z.array(z.string().min(1).max(4096)).min(1).max(64).optional(),
  })
  .strict();

export type VerificationRequest = z.infer<typeof verificationRequestSchema>;
