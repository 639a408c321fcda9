import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('createLogger', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'verdict-logger-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('keeps the process running when its log reader closes stdout and stderr (EPIPE)', async () => {
    // 300 lines, 2 ms apart, after a reader that closed both pipes on the first: every later line meets a closed pipe,
    // through pino, console.log, and console.error on stderr (where Nest's logger writes its errors).
    const survived = path.join(scratch, 'survived');
    const script = `
      const { createLogger } = require(${JSON.stringify(path.join(__dirname, 'logger.ts'))});
      const logger = createLogger('info', 'pipe-spec');
      let i = 0;
      const timer = setInterval(() => {
        logger.info({ i }, 'line');
        if (i > 0) { console.log('plain', i); console.error('error', i); }
        if (++i === 300) { clearInterval(timer); require('node:fs').writeFileSync(${JSON.stringify(survived)}, 'yes'); }
      }, 2);
    `;
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve) =>
      child.stdout.setEncoding('utf8').once('data', (text: string) => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve(text);
      }),
    );
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ msg: 'line', i: 0, service: 'pipe-spec' });
    expect(readFileSync(survived, 'utf8')).toBe('yes');
    expect(code).toBe(0);
  });
});
