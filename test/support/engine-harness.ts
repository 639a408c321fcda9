import type { Provider } from '@nestjs/common';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, loadConfig, type VerdictConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { createEngineApp } from '../../apps/engine/src/engine-app';
import { ListeningSockets } from '../../apps/engine/src/http/listening-sockets';
import { EVENT_STORE } from '../../apps/engine/src/infrastructure/tokens';
import { InlineProjections } from '../../apps/engine/src/projections/inline-projections';
import { HISTORY_WAIT } from './history-wait';

/** fetch's Response with `json()` typed loosely: tests assert on the shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

export interface RunningEngine {
  readonly url: string;
  readonly config: VerdictConfig;
  readonly store: EventStore;
  readonly dataDir: string;
  /** The admin key the engine created on its fresh data dir; every request below sends it unless told otherwise. */
  readonly adminKey: string;
  /** Creates an API key (through the API, as admin) and returns it. */
  createKey(client: string, roles: readonly string[]): Promise<string>;
  post(pathname: string, body: unknown, headers?: Record<string, string>): Promise<JsonResponse>;
  get(pathname: string, headers?: Record<string, string>): Promise<JsonResponse>;
  /** Any method with a JSON body (PUT/PATCH/POST of deployment changes). */
  send(method: string, pathname: string, body: unknown, headers?: Record<string, string>): Promise<JsonResponse>;
  /** POST multipart/form-data (model registration). */
  upload(pathname: string, form: FormData): Promise<JsonResponse>;
  /** A provider of the running app (for assertions on internals such as open sessions). */
  resolve<T>(token: abstract new (...args: never[]) => T): T;
  /** Waits until the inline projection has applied everything up to `position`. */
  caughtUp(position: number): Promise<void>;
  stop(): Promise<void>;
}

const adminKeysByStore = new Map<string, string>();
const masterKeysByStore = new Map<string, string>();

/**
 * Starts the real engine on a real listening port (PORT, 0 = any free one), on its own temp data dir. `overrides` replace
 * the engine's providers of the same token (e.g. an in-memory seal index).
 */
export async function startEngine(env: Record<string, string> = {}, overrides: readonly Provider[] = []): Promise<RunningEngine> {
  // A data dir that doesn't exist yet, as on a fresh checkout: the engine must create it.
  const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-e2e-'));
  const dataDir = path.join(scratch, 'data');
  const config = loadConfig({ VERDICT_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...HISTORY_WAIT, ...env });
  // Instances on one store share its master key, as production instances must (VERDICT_MASTER_KEY): the first one
  // on a store creates it, later ones get a copy before they start.
  const storeKey = `${config.eventStore.url}#${config.eventStore.schema}`;
  const sharedMaster = masterKeysByStore.get(storeKey);
  if (sharedMaster !== undefined && !existsSync(config.privacy.masterKeyPath)) {
    mkdirSync(path.dirname(config.privacy.masterKeyPath), { recursive: true, mode: 0o700 });
    writeFileSync(config.privacy.masterKeyPath, sharedMaster, { mode: 0o600 });
  }
  const { app } = await createEngineApp(config, createLogger('silent', 'verdict-test'), overrides);
  if (sharedMaster === undefined && existsSync(config.privacy.masterKeyPath)) masterKeysByStore.set(storeKey, readFileSync(config.privacy.masterKeyPath, 'utf8'));
  try {
    await app.get(ListeningSockets).listen(app, { port: config.port, host: '127.0.0.1', sockets: config.listenSockets });
  } catch (error) {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const store = app.get<EventStore>(EVENT_STORE);
  const projections = app.get(InlineProjections);
  // The first instance on a store writes the admin key to its data dir; a second one on the same store uses that key.
  const storeId = `${config.eventStore.url}#${config.eventStore.schema}`;
  const adminKey = existsSync(config.security.adminKeyPath) ? readFileSync(config.security.adminKeyPath, 'utf8').trim() : adminKeysByStore.get(storeId);
  if (!adminKey) throw new Error(`no admin key: neither ${config.security.adminKeyPath} nor an earlier instance on ${storeId}`);
  adminKeysByStore.set(storeId, adminKey);
  const auth = { authorization: `Bearer ${adminKey}` };
  const send = (method: string, p: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url + p, { method, headers: { ...auth, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    url,
    config,
    store,
    dataDir,
    adminKey,
    createKey: async (client, roles) => {
      const res = await send('POST', '/v1/keys', { client, roles });
      if (res.status !== 201) throw new Error(`creating a key failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { apiKey: string }).apiKey;
    },
    post: (p, body, headers = {}) => send('POST', p, body, headers),
    get: (p, headers = {}) => fetch(url + p, { headers: { ...auth, ...headers } }),
    send,
    upload: (p, form) => fetch(url + p, { method: 'POST', body: form, headers: auth }),
    resolve: (token) => app.get(token),
    caughtUp: (position) => projections.waitForPosition(BigInt(position), 15_000),
    stop: async () => {
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A valid decision request with a unique transaction id. */
export function decisionRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    transactionId: `e2e-${process.pid}-${Date.now().toString(36)}-${counter}`,
    occurredAt: '2026-11-20T14:03:11Z',
    amount: 42.5,
    currency: 'EUR',
    cardId: 'card-e2e-1',
    merchantId: 'merchant-7',
    customerId: 'cust-1',
    channel: 'pos',
    country: 'FR',
    merchantCategory: '5411',
    attributes: { cardCountry: 'FR' },
    ...overrides,
  };
}
