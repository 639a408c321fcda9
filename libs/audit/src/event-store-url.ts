import type { EventStoreSelection } from '@verdict/event-store';

/**
 * The store an auditor names on the command line, as the engine's configuration would (VERDICT_EVENT_STORE_URL):
 * `postgres://…` (or `postgresql://…`), `esdb://…` (or `kurrentdb://…`, `esdb+discover://…`), anything else a SQLite
 * file path.
 */
export function eventStoreSelection(url: string, schema?: string): EventStoreSelection {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url, schema };
  if (/^(esdb|esdb\+discover|kurrentdb|kurrent|kdb)(\+discover)?:\/\//i.test(url)) return { kind: 'esdb', url };
  return { kind: 'sqlite', url };
}
