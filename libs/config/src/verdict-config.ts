import { availableParallelism } from 'node:os';
import path from 'node:path';
import { bundledModelPaths, DEFAULT_MODEL_DIR, readSidecar, repoRoot } from './bundled-model';
import { ConfigError } from './config-error';
import { driftThresholds, driftWindowSeconds } from './drift-config';
import { int, list, num, oneOf, pgSchema } from './env-values';
import { oidcConfig, type OidcConfig } from './oidc-config';
import { storeUrlProblem } from './store-url';
import { DEFAULT_BACKGROUND_NICE } from './thread-priority';

/** Enough to accept a client pool's burst of connections at once under load (docs/benchmarks.md, 2026-12-06). */
export const DEFAULT_LISTEN_SOCKETS = 8;

export type EventStoreKind = 'sqlite' | 'postgres' | 'esdb';
export type ReadModelKind = 'sqlite' | 'postgres';
export type ArtifactStoreKind = 'filesystem' | 'postgres';

export interface VerdictConfig {
  readonly host: string;
  readonly port: number;
  /**
   * Listening sockets on HOST:PORT (SO_REUSEPORT on Linux; 1 elsewhere). libuv accepts one connection per socket per
   * turn of the event loop, so under load a burst of new connections waits in the kernel's queue; more sockets accept more.
   */
  readonly listenSockets: number;
  readonly dataDir: string;
  /** sqlite: a file path; postgres: a postgres:// URL; esdb: an esdb:// connection string. */
  readonly eventStore: { readonly kind: EventStoreKind; readonly url: string; readonly schema: string };
  /** Model bytes by sha256: filesystem (a directory) or postgres (a postgres:// URL). */
  readonly artifactStore: { readonly kind: ArtifactStoreKind; readonly url: string; readonly schema: string };
  /** sqlite: a file path; postgres: a postgres:// URL. */
  readonly readModels: { readonly kind: ReadModelKind; readonly url: string; readonly schema: string };
  /** Run projections inside the engine process (embedded default) or leave them to apps/projector. */
  readonly projections: {
    readonly inline: boolean;
    readonly batchSize: number;
    /** Where apps/projector serves /metrics and /health (0: any free port). */
    readonly projectorPort: number;
  };
  /** The model that bootstraps a fresh deployment (see DeploymentBootstrap); ignored once a deployment exists. */
  readonly model: {
    readonly path: string;
    /** Whether VERDICT_MODEL_PATH was set (rather than defaulting to the bundled demo model). */
    readonly explicit: boolean;
    /**
     * Without VERDICT_MODEL_PATH: the bundled demo model's versions (models/fraud-demo/<version>/model.onnx), oldest
     * first; a fresh start registers every one and makes the newest (`path`) champion. Empty when the path is explicit.
     */
    readonly bundled: readonly string[];
    readonly name?: string;
    readonly version?: string;
    readonly features?: readonly string[];
    readonly baseline?: readonly number[];
  };
  readonly policy: { readonly version: string; readonly reviewThreshold: number; readonly declineThreshold: number };
  /** Simulated decisions run through the decision path (nothing written) before the engine listens; 0: none. */
  readonly warmupDecisions: number;
  /**
   * History features (docs/features.md): the most entities of each kind (cards, customers…) the state holds, and how
   * long an ask waits for the history thread to read this instance's last commit before it is answered as things stand.
   */
  readonly history: { readonly maxEntities: number; readonly waitLimitMs: number };
  /** The model registry: the largest model upload accepted, in bytes. */
  readonly models: { readonly maxBytes: number };
  /** Drift monitoring (docs/monitoring.md): window width, decisions a window needs to be judged, PSI thresholds. */
  readonly drift: {
    readonly windowSeconds: number;
    readonly minDecisions: number;
    /** Default PSI threshold, and per-series ones by name (a feature or "score"); null switches a series off. */
    readonly thresholds: { readonly psi: number; readonly perSeries: Readonly<Record<string, number | null>> };
  };
  /** Auditors' replays: the threads one replay runs on. */
  readonly replay: { readonly threads: number };
  /** How many steps lower than the request path background threads run (projections, seals, exports, replays, audit verification, V8's compiler and GC threads); 0: equal. */
  readonly threads: { readonly backgroundNice: number };
  /** GraphQL (/graphql, docs/graphql.md): the largest query accepted, by depth and by estimated cost. */
  readonly graphql: { readonly maxDepth: number; readonly maxComplexity: number };
  /** The review queue: how long a claim holds by default, and at most, in seconds. */
  readonly reviews: { readonly claimSeconds: number; readonly maxClaimSeconds: number };
  /**
   * Performance monitoring: how often the deployed versions are judged against their cards (0: never), over how many
   * days of decisions, how far below the card recall or precision may fall, and the labels needed to say so.
   */
  readonly performance: { readonly checkSeconds: number; readonly windowDays: number; readonly margin: number; readonly minLabels: number };
  /** Alert delivery: the webhook every alert is POSTed to (none: not delivered), and its retries. */
  readonly alerts: { readonly webhookUrl: string | null; readonly retryBaseMs: number; readonly maxAttempts: number };
  /** Sealed audit periods (docs/audit.md): how often, how large, and the Ed25519 key that signs them. */
  readonly audit: {
    readonly sealIntervalSeconds: number;
    readonly sealMaxEvents: number;
    /** PEM file of the private key. */
    readonly sealKeyPath: string;
    /** Whether VERDICT_SEAL_KEY named it (then it must exist); otherwise it is created on first start. */
    readonly sealKeyExplicit: boolean;
  };
  /** Who may call (docs/security.md): API keys always; OIDC tokens when an issuer is configured. */
  readonly security: {
    /** Where a fresh data directory's admin key is written (the bare key, mode 0600). */
    readonly adminKeyPath: string;
    readonly oidc: OidcConfig | null;
    /** Whether /metrics is open to anyone (otherwise it needs `operate`). */
    readonly metricsPublic: boolean;
    /** Requests per second per key (or per address, for callers without one); 0: no limit. A key may set its own. */
    readonly rateLimitPerSecond: number;
    /** The longest a request may take, from its first byte to its answer, in milliseconds. */
    readonly requestTimeoutMs: number;
  };
  /** Personal data (docs/security.md, "Erasure"). */
  readonly privacy: {
    /** The master key file (32 bytes, base64, one line): it wraps subject keys and keys the pseudonyms. */
    readonly masterKeyPath: string;
    /** Named by VERDICT_MASTER_KEY: then it must exist (never created, or silently replaced). */
    readonly masterKeyExplicit: boolean;
    /** Card ids are tokens already (VERDICT_CARD_IDS_ARE_TOKENS=true): kept in the clear. */
    readonly cardIdsAreTokens: boolean;
    /** Request attributes whose values are personal (VERDICT_PERSONAL_ATTRIBUTES, comma-separated). */
    readonly personalAttributes: readonly string[];
    /** Where the subject keys live: beside the event store (subjectKeyStore). */
    readonly keyStore: { readonly kind: 'sqlite' | 'postgres'; readonly url: string; readonly schema: string };
  };
  readonly logLevel: string;
}

/** An http(s) URL, or null when unset. */
function webhookUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError('VERDICT_ALERT_WEBHOOK_URL', `must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('VERDICT_ALERT_WEBHOOK_URL', `must use http or https, got ${url.protocol}`);
  return url.toString();
}

/**
 * How long a decision waits for the history thread to read this instance's last commit; past it, it is scored on the
 * history as it stands. The wait starts when the thread gets the ask and ends at its next 50 ms check, and the model
 * and the append come after it: a wait near the request timeout would answer 503 request-timeout instead. So it may be
 * at most half the request timeout, and the default (1 s) is half a request timeout shorter than 2 s.
 */
function historyWaitMs(env: NodeJS.ProcessEnv, requestTimeoutMs: number): number {
  const limit = Math.floor(requestTimeoutMs / 2);
  const wait = int(env, 'VERDICT_HISTORY_WAIT_MS', Math.min(1_000, limit), 0, 60_000);
  if (wait > limit) {
    throw new ConfigError('VERDICT_HISTORY_WAIT_MS', `(${wait}) must be at most half of VERDICT_REQUEST_TIMEOUT_MS (${requestTimeoutMs}): a longer wait leaves no time to score and record the decision before the request times out`);
  }
  return wait;
}

/**
 * Where the subject keys live: beside the event store. On SQLite that is a file of its own next to events.sqlite: in
 * the event store's file, every key written had to wait for the event writer's lock (SQLite's busy handler sleeps, on
 * the main thread). On PostgreSQL it is the event store's schema; with EventStoreDB, the read models' database.
 */
function subjectKeyStore(esKind: EventStoreKind, esUrl: string, rmKind: ReadModelKind, rmUrl: string, env: NodeJS.ProcessEnv) {
  if (esKind === 'sqlite') return { kind: 'sqlite' as const, url: path.join(path.dirname(esUrl), 'subject-keys.sqlite'), schema: '' };
  if (esKind === 'postgres') return { kind: 'postgres' as const, url: esUrl, schema: pgSchema(env, 'VERDICT_EVENT_STORE_SCHEMA', 'verdict') };
  if (rmKind === 'sqlite') return { kind: 'sqlite' as const, url: path.join(path.dirname(rmUrl), 'subject-keys.sqlite'), schema: '' };
  return { kind: 'postgres' as const, url: rmUrl, schema: pgSchema(env, 'VERDICT_READ_MODELS_SCHEMA', 'verdict_read') };
}

/**
 * Configuration from environment variables (documented in README.md, "Configuration"). Embedded defaults need no
 * services: SQLite files under ./data and the committed demo model.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): VerdictConfig {
  const root = repoRoot();
  const dataDir = path.resolve(root, env.VERDICT_DATA_DIR || 'data');
  const esKind = oneOf(env, 'VERDICT_EVENT_STORE', ['sqlite', 'postgres', 'esdb'] as const, 'sqlite');
  const esUrl = env.VERDICT_EVENT_STORE_URL || (esKind === 'sqlite' ? path.join(dataDir, 'events.sqlite') : '');
  if (!esUrl) throw new ConfigError('VERDICT_EVENT_STORE_URL', `is required when VERDICT_EVENT_STORE=${esKind}`);
  const rmKind = oneOf(env, 'VERDICT_READ_MODELS', ['sqlite', 'postgres'] as const, 'sqlite');
  const rmUrl = env.VERDICT_READ_MODELS_URL || (rmKind === 'sqlite' ? path.join(dataDir, 'read-models.sqlite') : '');
  if (!rmUrl) throw new ConfigError('VERDICT_READ_MODELS_URL', `is required when VERDICT_READ_MODELS=${rmKind}`);

  const artKind = oneOf(env, 'VERDICT_ARTIFACT_STORE', ['filesystem', 'postgres'] as const, 'filesystem');
  // PostgreSQL artifacts default to the database the other stores already use.
  const pgDefault = esKind === 'postgres' ? esUrl : rmKind === 'postgres' ? rmUrl : '';
  const artUrl = env.VERDICT_ARTIFACT_STORE_URL || (artKind === 'filesystem' ? path.join(dataDir, 'models') : pgDefault);
  if (!artUrl) throw new ConfigError('VERDICT_ARTIFACT_STORE_URL', 'is required when VERDICT_ARTIFACT_STORE=postgres and no other store is on PostgreSQL');
  for (const [variable, kindVariable, kind, url] of [
    ['VERDICT_EVENT_STORE_URL', 'VERDICT_EVENT_STORE', esKind, esUrl],
    ['VERDICT_READ_MODELS_URL', 'VERDICT_READ_MODELS', rmKind, rmUrl],
    ['VERDICT_ARTIFACT_STORE_URL', 'VERDICT_ARTIFACT_STORE', artKind, artUrl],
  ] as const) {
    const problem = storeUrlProblem(kind, url, kindVariable);
    if (problem) throw new ConfigError(variable, problem);
  }

  const bundled = env.VERDICT_MODEL_PATH ? [] : bundledModelPaths(path.resolve(root, DEFAULT_MODEL_DIR));
  const modelPath = path.resolve(root, env.VERDICT_MODEL_PATH || (bundled.at(-1) ?? path.join(DEFAULT_MODEL_DIR, 'model.onnx')));
  const recommended = readSidecar(modelPath).policy ?? {};
  const policy = {
    version: env.VERDICT_POLICY_VERSION || recommended.version || 'default-1',
    reviewThreshold: num(env, 'VERDICT_REVIEW_THRESHOLD', recommended.reviewThreshold ?? 0.5, 0, 1),
    declineThreshold: num(env, 'VERDICT_DECLINE_THRESHOLD', recommended.declineThreshold ?? 0.9, 0, 1),
  };
  if (policy.reviewThreshold > policy.declineThreshold) {
    throw new ConfigError('VERDICT_REVIEW_THRESHOLD', `(${policy.reviewThreshold}) must not exceed VERDICT_DECLINE_THRESHOLD (${policy.declineThreshold})`);
  }
  const requestTimeoutMs = int(env, 'VERDICT_REQUEST_TIMEOUT_MS', 30_000, 1, 3_600_000);
  const baseline = list(env, 'VERDICT_MODEL_BASELINE')?.map(Number);
  if (baseline?.some((n) => !Number.isFinite(n))) throw new ConfigError('VERDICT_MODEL_BASELINE', 'must be comma-separated numbers');

  return {
    host: env.HOST || '127.0.0.1',
    port: num(env, 'PORT', 3000, 0, 65535),
    listenSockets: int(env, 'VERDICT_LISTEN_SOCKETS', DEFAULT_LISTEN_SOCKETS, 1, 64),
    dataDir,
    eventStore: { kind: esKind, url: esUrl, schema: pgSchema(env, 'VERDICT_EVENT_STORE_SCHEMA', 'verdict') },
    readModels: { kind: rmKind, url: rmUrl, schema: pgSchema(env, 'VERDICT_READ_MODELS_SCHEMA', 'verdict_read') },
    artifactStore: { kind: artKind, url: artUrl, schema: pgSchema(env, 'VERDICT_ARTIFACT_STORE_SCHEMA', 'verdict') },
    projections: {
      inline: oneOf(env, 'VERDICT_PROJECTIONS', ['inline', 'off'] as const, 'inline') === 'inline',
      batchSize: num(env, 'VERDICT_PROJECTION_BATCH', 500, 1, 10000),
      projectorPort: num(env, 'VERDICT_PROJECTOR_PORT', 3001, 0, 65535),
    },
    model: {
      path: modelPath,
      explicit: Boolean(env.VERDICT_MODEL_PATH),
      bundled,
      name: env.VERDICT_MODEL_NAME || undefined,
      version: env.VERDICT_MODEL_VERSION || undefined,
      features: list(env, 'VERDICT_MODEL_FEATURES'),
      baseline,
    },
    policy,
    warmupDecisions: int(env, 'VERDICT_WARMUP_DECISIONS', 1000, 0, 100_000),
    history: {
      maxEntities: int(env, 'VERDICT_HISTORY_MAX_ENTITIES', 1_000_000, 1, 50_000_000),
      waitLimitMs: historyWaitMs(env, requestTimeoutMs),
    },
    models: { maxBytes: num(env, 'VERDICT_MODEL_MAX_BYTES', 256 * 1024 * 1024, 1024, 4 * 1024 ** 3) },
    drift: {
      windowSeconds: driftWindowSeconds(env),
      minDecisions: int(env, 'VERDICT_DRIFT_MIN_DECISIONS', 1000, 1, 10_000_000),
      thresholds: { psi: num(env, 'VERDICT_DRIFT_PSI_THRESHOLD', 0.2, 0.000001, 1000), perSeries: driftThresholds(env) },
    },
    replay: { threads: int(env, 'VERDICT_REPLAY_THREADS', Math.min(2, availableParallelism()), 1, 64) },
    threads: { backgroundNice: int(env, 'VERDICT_BACKGROUND_NICE', DEFAULT_BACKGROUND_NICE, 0, 19) },
    graphql: {
      maxDepth: int(env, 'VERDICT_GRAPHQL_MAX_DEPTH', 8, 2, 100),
      maxComplexity: int(env, 'VERDICT_GRAPHQL_MAX_COMPLEXITY', 10_000, 10, 10_000_000),
    },
    reviews: {
      claimSeconds: int(env, 'VERDICT_REVIEW_CLAIM_SECONDS', 900, 30, 86400),
      maxClaimSeconds: 86400,
    },
    performance: {
      checkSeconds: num(env, 'VERDICT_PERFORMANCE_CHECK_SECONDS', 300, 0, 86400),
      windowDays: num(env, 'VERDICT_PERFORMANCE_WINDOW_DAYS', 30, 1, 366),
      margin: num(env, 'VERDICT_PERFORMANCE_MARGIN', 0.1, 0, 1),
      minLabels: int(env, 'VERDICT_PERFORMANCE_MIN_LABELS', 50, 1, 1_000_000),
    },
    alerts: {
      webhookUrl: webhookUrl(env.VERDICT_ALERT_WEBHOOK_URL),
      retryBaseMs: num(env, 'VERDICT_ALERT_WEBHOOK_RETRY_MS', 1000, 1, 600_000),
      maxAttempts: int(env, 'VERDICT_ALERT_WEBHOOK_ATTEMPTS', 8, 1, 100),
    },
    audit: {
      sealIntervalSeconds: num(env, 'VERDICT_SEAL_INTERVAL_SECONDS', 60, 0.05, 86400),
      sealMaxEvents: Math.floor(num(env, 'VERDICT_SEAL_MAX_EVENTS', 10_000, 1, 1_000_000)),
      sealKeyPath: env.VERDICT_SEAL_KEY ? path.resolve(root, env.VERDICT_SEAL_KEY) : path.join(dataDir, 'keys', 'audit-seal-ed25519.pem'),
      sealKeyExplicit: Boolean(env.VERDICT_SEAL_KEY),
    },
    security: {
      adminKeyPath: path.join(dataDir, 'keys', 'admin.key'),
      oidc: oidcConfig(env),
      metricsPublic: oneOf(env, 'VERDICT_METRICS_PUBLIC', ['true', 'false'] as const, 'false') === 'true',
      rateLimitPerSecond: int(env, 'VERDICT_RATE_LIMIT_PER_SECOND', 10_000, 0, 10_000_000),
      requestTimeoutMs,
    },
    privacy: {
      masterKeyPath: env.VERDICT_MASTER_KEY ? path.resolve(root, env.VERDICT_MASTER_KEY) : path.join(dataDir, 'keys', 'master.key'),
      masterKeyExplicit: Boolean(env.VERDICT_MASTER_KEY),
      cardIdsAreTokens: oneOf(env, 'VERDICT_CARD_IDS_ARE_TOKENS', ['true', 'false'] as const, 'false') === 'true',
      personalAttributes: list(env, 'VERDICT_PERSONAL_ATTRIBUTES') ?? [],
      keyStore: subjectKeyStore(esKind, esUrl, rmKind, rmUrl, env),
    },
    logLevel: env.LOG_LEVEL || 'info',
  };
}
