import { ConfigError, loadConfig } from './verdict-config';

describe('configuration', () => {
  it('takes the replay thread count as a whole number in [1, 64]', () => {
    expect(loadConfig({ VERDICT_REPLAY_THREADS: '3' }).replay.threads).toBe(3);
    expect(() => loadConfig({ VERDICT_REPLAY_THREADS: '1.5' })).toThrow(ConfigError);
    expect(() => loadConfig({ VERDICT_REPLAY_THREADS: '0' })).toThrow(ConfigError);
  });
});
