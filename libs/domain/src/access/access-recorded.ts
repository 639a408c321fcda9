import type { CallerMetadata } from './roles';

/**
 * Every read of decision data by an auditor or an analyst (docs/security.md): who, what, with which filters or ids,
 * how many records, when. One stream per UTC day, so a day's reads are one indexed read away.
 */
export const ACCESS_RECORDED = 'AccessRecorded' as const;
export const ACCESS_RECORDED_SCHEMA_VERSION = 1;
export const ACCESS_STREAM_PREFIX = 'access-';

export interface AccessRecorded {
  readonly schemaVersion: 1;
  readonly caller: CallerMetadata;
  readonly roles: readonly string[];
  /** `GET /v1/decisions/{decisionId}` as routed, or `graphql:<operation name or "anonymous">`. */
  readonly operation: string;
  /** The path parameters and query string as sent (ids, filters, cursors), or the GraphQL variables. */
  readonly parameters: Record<string, unknown>;
  readonly status: number;
  /** Records answered: items of a page, rows of an export, 1 for a single record, 0 for a miss. */
  readonly records: number;
  readonly at: string;
}

export const accessStreamId = (at: string): string => `${ACCESS_STREAM_PREFIX}${at.slice(0, 10)}`;
