import { z } from 'zod';
import { SAFE_ID, toFieldErrors } from '@verdict/domain';
import { OipError } from './oip-errors';

const tensor = z
  .object({
    name: z.string().min(1).max(200),
    shape: z.array(z.number().int().min(0)).max(16),
    datatype: z.string().min(1).max(16),
    data: z.array(z.unknown()),
    parameters: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The OIP v2 inference request body. */
export const inferenceRequestSchema = z
  .object({
    id: z.string().regex(SAFE_ID, 'must be 1–128 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"').optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    inputs: z.array(tensor).min(1).max(256),
    outputs: z.array(z.object({ name: z.string().min(1).max(200), parameters: z.record(z.string(), z.unknown()).optional() }).strict()).max(256).optional(),
  })
  .strict();

export type InferenceRequest = z.infer<typeof inferenceRequestSchema>;

export function parseInferenceRequest(body: unknown): InferenceRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new OipError(400, 'The request body must be a JSON object.');
  const parsed = inferenceRequestSchema.safeParse(body);
  if (!parsed.success) {
    const errors = toFieldErrors(parsed.error, body).map((e) => `${e.path || '/'} ${e.message}`);
    throw new OipError(400, `Invalid inference request: ${errors.join('; ')}`);
  }
  return parsed.data;
}
