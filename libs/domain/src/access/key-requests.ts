import { z } from 'zod';
import { ROLES } from './roles';

/** POST /v1/keys. */
export const createKeyRequestSchema = z
  .object({
    client: z.string().regex(/^[A-Za-z0-9._@:-]{1,128}$/, 'must be 1–128 of A-Z a-z 0-9 . _ @ : -'),
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    rateLimitPerSecond: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .strict();
export type CreateKeyRequest = z.infer<typeof createKeyRequestSchema>;

/** POST /v1/keys/{keyId}/revoke. */
export const revokeKeyRequestSchema = z.object({ reason: z.string().min(1).max(500).optional() }).strict();
