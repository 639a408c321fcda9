import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '@verdict/config';
import { ROLES, type ApiKeyView } from '@verdict/domain';
import { eventStoreSelection } from '@verdict/audit';
import { createEventStore } from '@verdict/event-store';
import { KeyDirectory, type CreatedKey } from '../../apps/engine/src/access/key-directory';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';
import { print, table } from './output';

interface CreateFlags {
  client: string;
  role: string[];
  rateLimit?: number;
  eventStore?: string;
  schema?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive whole number: ${value}`);
  return n;
}

/**
 * Straight into the store, as `audit verify` reads it: for the first key of a store whose admin key is lost, or
 * before any engine runs. A running engine sees the key within a second (it follows the api-keys stream).
 */
async function createInStore(flags: CreateFlags): Promise<CreatedKey> {
  const selection = flags.eventStore ? eventStoreSelection(flags.eventStore, flags.schema ?? process.env.VERDICT_EVENT_STORE_SCHEMA ?? 'verdict') : loadConfig().eventStore;
  if (selection.kind === 'sqlite' && !existsSync(selection.url)) throw new Error(`no event store at ${selection.url}`);
  const store = await createEventStore(selection);
  try {
    const keys = new KeyDirectory(store, pino({ enabled: false }));
    return await keys.create({ client: flags.client, roles: flags.role, rateLimitPerSecond: flags.rateLimit ?? null }, `cli:${process.env.USER ?? 'operator'}`);
  } finally {
    await store.close();
  }
}

/** `verdict keys create|list|revoke`: API keys (docs/security.md). Over the API with an admin key, or into the store. */
export function keysCommands(program: Command, io: CliIo, client: () => ApiClient, json: () => boolean): void {
  const keys = program.command('keys').description('API keys: create (printed once), list, revoke');

  keys
    .command('create')
    .description('create an API key; the key is printed once and stored only as a salted hash')
    .requiredOption('--client <id>', 'the system the key is for (recorded with everything it does)')
    .addOption(new Option('--role <role>', 'a role it holds (repeatable)').choices([...ROLES]).argParser(collect).makeOptionMandatory())
    .option('--rate-limit <n>', "requests per second for this key (default: the engine's)", positiveInt)
    .option('--event-store <url>', 'write straight into this store (SQLite path, postgres://…, esdb://…) instead of through the API')
    .option('--schema <name>', 'PostgreSQL schema of the event store (with --event-store)')
    .action(async (flags: CreateFlags) => {
      const created = flags.eventStore
        ? await createInStore(flags)
        : (await client().json<CreatedKey>('POST', '/v1/keys', { client: flags.client, roles: flags.role, ...(flags.rateLimit ? { rateLimitPerSecond: flags.rateLimit } : {}) })).body;
      print(io, json(), created, (c: CreatedKey) => `${c.apiKey}\n`);
      io.stderr.write(`key ${created.key.keyId} for ${created.key.client} (${created.key.roles.join(', ')}): shown once, store it now\n`);
    });

  keys
    .command('list')
    .description('every key, revoked ones included (never a secret)')
    .action(async () => {
      const res = await client().get<{ items: ApiKeyView[] }>('/v1/keys');
      print(io, json(), res.body, (b: typeof res.body) =>
        table(
          ['KEY ID', 'CLIENT', 'ROLES', 'CREATED', 'REVOKED'],
          b.items.map((k) => [k.keyId, k.client, k.roles.join(','), k.createdAt, k.revokedAt ?? '-']),
        ),
      );
    });

  keys
    .command('revoke <keyId>')
    .description('revoke a key: every instance refuses it within a second')
    .option('--reason <text>', 'why (recorded in ApiKeyRevoked)')
    .action(async (keyId: string, flags: { reason?: string }) => {
      const res = await client().json<ApiKeyView>('POST', `/v1/keys/${encodeURIComponent(keyId)}/revoke`, flags.reason ? { reason: flags.reason } : {});
      print(io, json(), res.body, (k: ApiKeyView) => `revoked ${k.keyId} (${k.client}) at ${k.revokedAt}`);
    });
}
