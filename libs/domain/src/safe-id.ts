import { z } from 'zod';

/** What an id a caller names may hold: safe in paths, logs, headers and event metadata as it is. */
const CHARACTERS = 'A-Za-z0-9._:-';

/**
 * An id a caller may name (a transaction, a decision, a label, a correlation): 1–128 of A-Z a-z 0-9 . _ : -. Routes
 * that look one up answer "not found" for anything else; OpenAPI documents it as the pattern.
 */
export const SAFE_ID = new RegExp(`^[${CHARACTERS}]{1,128}$`);

/**
 * Such an id in a request body. The length and the characters are checked apart, so each has its own message (a
 * long id breaks only the length rule).
 */
export const safeIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(new RegExp(`^[${CHARACTERS}]+$`), 'must contain only A-Z, a-z, 0-9, ".", "_", ":" or "-"');
