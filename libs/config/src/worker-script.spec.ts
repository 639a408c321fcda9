import { workerScript } from './worker-script';

describe('workerScript', () => {
  it('starts a compiled worker as it is', () => {
    expect(workerScript('/app/dist/x.worker.js', {})).toEqual({ file: '/app/dist/x.worker.js' });
  });

  it('starts a .ts worker with the require hook named by VERDICT_TS_REGISTER', () => {
    expect(workerScript('/repo/x.worker.ts', { VERDICT_TS_REGISTER: '/hooks/register.js' })).toEqual({
      file: '/repo/x.worker.ts',
      execArgv: ['-r', '/hooks/register.js'],
    });
  });

  it('refuses a .ts worker when no hook is named, saying what to set', () => {
    for (const env of [{}, { VERDICT_TS_REGISTER: '' }]) {
      expect(() => workerScript('/repo/x.worker.ts', env)).toThrow(/VERDICT_TS_REGISTER/);
    }
  });

  it('is given a hook in this test run (jest.config.js sets it up)', () => {
    expect(workerScript(__filename).execArgv?.[1]).toMatch(/ts-register\.js$/);
  });
});
