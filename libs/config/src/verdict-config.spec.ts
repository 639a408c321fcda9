import { ConfigError } from './config-error';
import { loadConfig } from './verdict-config';

describe('configuration', () => {
  it('takes the replay thread count as a whole number in [1, 64]', () => {
    expect(loadConfig({ VERDICT_REPLAY_THREADS: '3' }).replay.threads).toBe(3);
    expect(() => loadConfig({ VERDICT_REPLAY_THREADS: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_REPLAY_THREADS: '0' })).toThrow(ConfigError);
  });

  it('takes how much lower background threads run as a nice step count in [0, 19], 10 by default', () => {
    expect(loadConfig({}).threads.backgroundNice).toBe(10);
    expect(loadConfig({ VERDICT_BACKGROUND_NICE: '0' }).threads.backgroundNice).toBe(0);
    expect(loadConfig({ VERDICT_BACKGROUND_NICE: '19' }).threads.backgroundNice).toBe(19);
    expect(() => loadConfig({ VERDICT_BACKGROUND_NICE: '20' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_BACKGROUND_NICE: '-1' })).toThrow(ConfigError);
  });

  it('takes the listening sockets as a whole number in [1, 64], 8 by default', () => {
    expect(loadConfig({}).listenSockets).toBe(8);
    expect(loadConfig({ VERDICT_LISTEN_SOCKETS: '1' }).listenSockets).toBe(1);
    expect(() => loadConfig({ VERDICT_LISTEN_SOCKETS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_LISTEN_SOCKETS: '65' })).toThrow(ConfigError);
  });

  it('takes the warm-up as a whole number of decisions, 1000 by default, 0 for none', () => {
    expect(loadConfig({}).warmupDecisions).toBe(1000);
    expect(loadConfig({ VERDICT_WARMUP_DECISIONS: '0' }).warmupDecisions).toBe(0);
    expect(() => loadConfig({ VERDICT_WARMUP_DECISIONS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_WARMUP_DECISIONS: '2.5' })).toThrow(ConfigError);
  });

  it('takes the history wait as whole milliseconds in [0, 60000], 1000 by default', () => {
    expect(loadConfig({}).history).toEqual({ maxEntities: 1_000_000, waitLimitMs: 1_000 });
    expect(loadConfig({ VERDICT_HISTORY_WAIT_MS: '0' }).history.waitLimitMs).toBe(0);
    expect(loadConfig({ VERDICT_HISTORY_WAIT_MS: '60000', VERDICT_REQUEST_TIMEOUT_MS: '120000' }).history.waitLimitMs).toBe(60_000);
    expect(() => loadConfig({ VERDICT_HISTORY_WAIT_MS: '60001' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_HISTORY_WAIT_MS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_HISTORY_WAIT_MS: '0.5' })).toThrow(ConfigError);
  });

  it('refuses a history wait over half the request timeout, and halves the default under a short timeout', () => {
    expect(() => loadConfig({ VERDICT_HISTORY_WAIT_MS: '2501', VERDICT_REQUEST_TIMEOUT_MS: '5000' })).toThrow(
      'VERDICT_HISTORY_WAIT_MS: (2501) must be at most half of VERDICT_REQUEST_TIMEOUT_MS (5000)',
    );
    expect(() => loadConfig({ VERDICT_HISTORY_WAIT_MS: '60000' })).toThrow(/at most half of VERDICT_REQUEST_TIMEOUT_MS \(30000\)/);
    expect(loadConfig({ VERDICT_HISTORY_WAIT_MS: '2500', VERDICT_REQUEST_TIMEOUT_MS: '5000' }).history.waitLimitMs).toBe(2_500);
    expect(loadConfig({ VERDICT_HISTORY_WAIT_MS: '0', VERDICT_REQUEST_TIMEOUT_MS: '1' }).history.waitLimitMs).toBe(0);
    expect(loadConfig({ VERDICT_REQUEST_TIMEOUT_MS: '2000' }).history.waitLimitMs).toBe(1_000);
    expect(loadConfig({ VERDICT_REQUEST_TIMEOUT_MS: '1500' }).history.waitLimitMs).toBe(750);
    expect(loadConfig({ VERDICT_REQUEST_TIMEOUT_MS: '1' }).history.waitLimitMs).toBe(0);
  });

  it('takes the GraphQL limits as whole numbers, with defaults', () => {
    expect(loadConfig({}).graphql).toEqual({ maxDepth: 8, maxComplexity: 10_000 });
    expect(loadConfig({ VERDICT_GRAPHQL_MAX_DEPTH: '4', VERDICT_GRAPHQL_MAX_COMPLEXITY: '500' }).graphql).toEqual({ maxDepth: 4, maxComplexity: 500 });
    expect(() => loadConfig({ VERDICT_GRAPHQL_MAX_DEPTH: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_GRAPHQL_MAX_COMPLEXITY: '10.5' })).toThrow(ConfigError);
  });
});

describe('store URLs', () => {
  it('refuses a URL where the store kind takes a path, and a path or another scheme where it takes a URL', () => {
    // Once a postgres:// URL without VERDICT_READ_MODELS=postgres made a 172 MB SQLite file at ./postgres:/…
    expect(() => loadConfig({ VERDICT_READ_MODELS_URL: 'postgres://postgres@127.0.0.1:5432/verdict' })).toThrow(
      'VERDICT_READ_MODELS_URL: is a URL (postgres://), but VERDICT_READ_MODELS=sqlite takes a path',
    );
    expect(() => loadConfig({ VERDICT_EVENT_STORE_URL: 'esdb://localhost:2113?tls=false' })).toThrow(/^VERDICT_EVENT_STORE_URL: is a URL \(esdb:\/\/\)/);
    expect(() => loadConfig({ VERDICT_ARTIFACT_STORE_URL: 'postgres://db/verdict' })).toThrow(/^VERDICT_ARTIFACT_STORE_URL: is a URL \(postgres:\/\/\)/);
    expect(() => loadConfig({ VERDICT_EVENT_STORE: 'postgres', VERDICT_EVENT_STORE_URL: './data/events.sqlite' })).toThrow(
      'VERDICT_EVENT_STORE_URL: must be a URL of scheme postgres:// or postgresql:// when VERDICT_EVENT_STORE=postgres',
    );
    expect(() => loadConfig({ VERDICT_EVENT_STORE: 'esdb', VERDICT_EVENT_STORE_URL: 'postgres://db/x' })).toThrow(/must be a URL of scheme esdb:\/\/ or esdb\+discover:\/\//);
  });

  it('takes paths for SQLite and the filesystem, and URLs of the right scheme for the rest', () => {
    expect(loadConfig({ VERDICT_EVENT_STORE_URL: './x/events.sqlite', VERDICT_READ_MODELS_URL: ':memory:' }).readModels.url).toBe(':memory:');
    const pg = loadConfig({ VERDICT_EVENT_STORE: 'postgres', VERDICT_EVENT_STORE_URL: 'postgresql://u@db/v', VERDICT_READ_MODELS: 'postgres', VERDICT_READ_MODELS_URL: 'postgres://u@db/v', VERDICT_ARTIFACT_STORE: 'postgres' });
    expect(pg.artifactStore.url).toBe('postgresql://u@db/v');
    expect(loadConfig({ VERDICT_EVENT_STORE: 'esdb', VERDICT_EVENT_STORE_URL: 'esdb+discover://cluster:2113' }).eventStore.kind).toBe('esdb');
  });
});

describe('drift configuration', () => {
  it('defaults to hourly windows of at least 1000 decisions and PSI > 0.2 for every series', () => {
    expect(loadConfig({}).drift).toEqual({ windowSeconds: 3600, minDecisions: 1000, thresholds: { psi: 0.2, perSeries: {} } });
  });

  it('takes per-series thresholds by name, "off" switching one off', () => {
    const drift = loadConfig({ VERDICT_DRIFT_THRESHOLDS: 'hour_of_day=off, score=0.3,is_night=0.1', VERDICT_DRIFT_PSI_THRESHOLD: '0.25' }).drift;
    expect(drift.thresholds).toEqual({ psi: 0.25, perSeries: { hour_of_day: null, score: 0.3, is_night: 0.1 } });
  });

  it('refuses windows that do not tile the day and malformed thresholds, naming the variable', () => {
    expect(loadConfig({ VERDICT_DRIFT_WINDOW_SECONDS: '900' }).drift.windowSeconds).toBe(900);
    for (const [name, value] of [
      ['VERDICT_DRIFT_WINDOW_SECONDS', '7000'],
      ['VERDICT_DRIFT_WINDOW_SECONDS', '0'],
      ['VERDICT_DRIFT_MIN_DECISIONS', '2.5'],
      ['VERDICT_DRIFT_THRESHOLDS', 'amount'],
      ['VERDICT_DRIFT_THRESHOLDS', 'amount=-1'],
      ['VERDICT_DRIFT_THRESHOLDS', 'amount=high'],
    ]) {
      const error = (() => {
        try {
          loadConfig({ [name]: value });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(name);
    }
  });

  it('takes security settings: OIDC needs a JWKS URL and an audience; limits and timeouts are bounded', () => {
    const oidc = { VERDICT_OIDC_ISSUER: 'https://idp.example', VERDICT_OIDC_JWKS_URL: 'https://idp.example/jwks', VERDICT_OIDC_AUDIENCE: 'verdict' };
    expect(loadConfig(oidc).security.oidc).toEqual({ issuer: 'https://idp.example', jwksUrl: 'https://idp.example/jwks', audience: 'verdict', rolesClaim: 'roles', subjectClaim: 'sub' });
    expect(loadConfig({}).security).toMatchObject({ oidc: null, metricsPublic: false, rateLimitPerSecond: 10_000, requestTimeoutMs: 30_000 });
    expect(() => loadConfig({ ...oidc, VERDICT_OIDC_AUDIENCE: '' })).toThrow(/VERDICT_OIDC_AUDIENCE/);
    expect(() => loadConfig({ ...oidc, VERDICT_OIDC_JWKS_URL: '' })).toThrow(/VERDICT_OIDC_JWKS_URL/);
    expect(() => loadConfig({ ...oidc, VERDICT_OIDC_JWKS_URL: 'ftp://idp/jwks' })).toThrow(/VERDICT_OIDC_JWKS_URL/);
    expect(() => loadConfig({ VERDICT_RATE_LIMIT_PER_SECOND: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_REQUEST_TIMEOUT_MS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_METRICS_PUBLIC: 'yes' })).toThrow(ConfigError);
  });
});
