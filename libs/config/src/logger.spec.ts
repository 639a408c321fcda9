import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

describe('createLogger', () => {
  it('keeps the process running when its log reader closes the pipe (EPIPE)', async () => {
    // 300 lines, 2 ms apart, read by a reader that closes stdout after the first: every later line meets a closed pipe.
    const script = `
      const { createLogger } = require(${JSON.stringify(path.join(__dirname, 'logger.ts'))});
      const logger = createLogger('info', 'pipe-spec');
      let i = 0;
      const timer = setInterval(() => {
        logger.info({ i }, 'line');
        if (++i === 300) { clearInterval(timer); process.stderr.write('survived'); }
      }, 2);
    `;
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.setEncoding('utf8').once('data', (text: string) => {
      first = text;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ msg: 'line', i: 0, service: 'pipe-spec' });
    expect(stderr).toBe('survived');
    expect(code).toBe(0);
  });
});
