import { ConfigError, loadConfig } from './verdict-config';

describe('configuration', () => {
  it('takes the replay thread count as a whole number in [1, 64]', () => {
    expect(loadConfig({ VERDICT_REPLAY_THREADS: '3' }).replay.threads).toBe(3);
    expect(() => loadConfig({ VERDICT_REPLAY_THREADS: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_REPLAY_THREADS: '0' })).toThrow(ConfigError);
  });

  it('takes the GraphQL limits as whole numbers, with defaults', () => {
    expect(loadConfig({}).graphql).toEqual({ maxDepth: 8, maxComplexity: 10_000 });
    expect(loadConfig({ VERDICT_GRAPHQL_MAX_DEPTH: '4', VERDICT_GRAPHQL_MAX_COMPLEXITY: '500' }).graphql).toEqual({ maxDepth: 4, maxComplexity: 500 });
    expect(() => loadConfig({ VERDICT_GRAPHQL_MAX_DEPTH: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_GRAPHQL_MAX_COMPLEXITY: '10.5' })).toThrow(ConfigError);
  });
});
