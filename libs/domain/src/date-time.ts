import { z } from 'zod';

/** A date-time in a request body: ISO-8601 with an offset, seconds included. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** A bound in a query or a range: the same (seconds optional), or a day (midnight UTC). */
const DATE_OR_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** The instants Verdict stores: years 0000–9999, whose ISO strings (and the read models' order) have 4 digits. */
const EARLIEST_MS = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** How far ahead of the engine's clock a time a caller reports may lie (clock skew between systems). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * The instant the fields of `match` name, in ms, if it is real: Date.parse rolls 2026-02-30 over to March 2 and takes
 * 24:00, so each field is checked against the calendar, and the instant must lie in years 0000–9999 once its offset
 * is applied.
 */
function instantOf(match: RegExpExecArray | null, text: string): number | undefined {
  if (match === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', oh = '0', om = '0'] = match;
  const month = Number(mo);
  if (month < 1 || month > 12 || Number(d) < 1 || Number(d) > daysIn(Number(y), month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const ms = Date.parse(text);
  return ms >= EARLIEST_MS && ms <= LATEST_MS ? ms : undefined;
}

/** An ISO-8601 date-time with an offset that names a real instant (2026-02-30, 24:00 and year 10000 do not). */
export function isRealDateTime(text: string): boolean {
  return instantOf(DATE_TIME.exec(text), text) !== undefined;
}

const FORMAT_RULE = 'must be an ISO-8601 date-time with an offset, e.g. 2026-01-31T12:00:00Z';

/**
 * A date-time field of a request body, each rule with its own message. The format is a regex (OpenAPI shows it as
 * the pattern); the rest is one check that parses the text once: occurredAt is on every decision's path.
 */
function bodyDateTime(notInFuture: boolean) {
  return z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, FORMAT_RULE)
    .superRefine((text, ctx) => {
      const match = DATE_TIME.exec(text);
      if (match === null) return; // the format's own issue says it
      const ms = instantOf(match, text);
      if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'must be a real date-time in years 0000–9999' });
      else if (notInFuture && ms > Date.now() + CLOCK_SKEW_MS) {
        ctx.addIssue({ code: 'custom', message: 'must not be in the future (more than 5 minutes ahead of the engine’s clock)' });
      }
    });
}

export const dateTimeSchema = bodyDateTime(false);

/** The same, reported by a caller about the past: at most CLOCK_SKEW_MS ahead of the engine's clock. */
export const pastDateTimeSchema = bodyDateTime(true);

/** A time bound in a query or a range (from, to, asOf, at): a date-time with an offset, or a day (midnight UTC). */
export function isInstantParam(text: string): boolean {
  return instantOf(DATE_OR_DATE_TIME.exec(text), text) !== undefined;
}

export const INSTANT_PARAM_RULE = 'must be an ISO-8601 date-time with an offset (2026-01-31T12:00:00Z) or a day (2026-01-31), in years 0000–9999';

export const instantParamSchema = z.string().refine(isInstantParam, INSTANT_PARAM_RULE);
