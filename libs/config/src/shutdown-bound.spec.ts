import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Stop {
  code: number | null;
  lines: Array<Record<string, unknown>>;
}

/**
 * A process with boundShutdown and one shutdown step, as the engine's main.ts has them (the step stands for Nest's
 * hooks), with the engine's and the projector's logger. Until the signal a listening server holds it; the step first
 * closes that server, as the HTTP drain does, then waits on `wait`: something that does not hold the event loop, like
 * an idle worker thread's answer or an unref'd timer.
 */
function runStop(wait: string, boundMs: number, signals: readonly NodeJS.Signals[] = ['SIGTERM']): Promise<Stop> {
  const script = `
    const { boundShutdown } = require(${JSON.stringify(path.join(__dirname, 'shutdown-bound.ts'))});
    const { createLogger } = require(${JSON.stringify(path.join(__dirname, 'logger.ts'))});
    const server = require('node:net').createServer();
    boundShutdown(['SIGTERM', 'SIGINT'], createLogger('info', 'stop-spec'), ${boundMs}, 'flushing');
    process.once('SIGTERM', async () => {
      server.close();
      await ${wait};
      console.log(JSON.stringify({ msg: 'flushed' }));
      process.exit(0);
    });
    process.on('SIGINT', () => console.log(JSON.stringify({ msg: 'SIGINT received' })));
    server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'ready' })));
  `;
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/ts-register.js'), '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let signalled = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    out += text;
    if (signalled || !out.includes('"ready"')) return;
    signalled = true;
    signals.forEach((signal, i) => setTimeout(() => child.kill(signal), 50 * i));
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': by then its output has been read to the end.
    child.once('close', (code) => resolve({ code, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) }));
  });
}

describe('boundShutdown: a stop ends by its steps finishing or by the bound, never by the event loop emptying', () => {
  it('lets a step that waits on nothing holding the loop finish', async () => {
    const stop = await runStop('new Promise((done) => setTimeout(done, 300).unref())', 10_000);
    expect(stop.lines.map((l) => l.msg)).toEqual(['ready', 'stopping: flushing', 'flushed', 'stopped']);
    expect(stop.lines.at(-1)).toMatchObject({ signal: 'SIGTERM', code: 0 });
    expect(stop.code).toBe(0);
  });

  it('takes a second signal as part of the same stop: one bound, one stopped line', async () => {
    // SIGINT 50 ms after SIGTERM, well inside the step's second.
    const stop = await runStop('new Promise((done) => setTimeout(done, 1000).unref())', 10_000, ['SIGTERM', 'SIGINT']);
    expect(stop.lines.map((l) => l.msg)).toEqual(['ready', 'stopping: flushing', 'SIGINT received', 'flushed', 'stopped']);
    expect(stop.lines.at(-1)).toMatchObject({ signal: 'SIGTERM', code: 0 });
    expect(stop.code).toBe(0);
  });

  it('exits 1 at the bound when a step never finishes, rather than 0 as if the stop were clean', async () => {
    const stop = await runStop('new Promise(() => undefined)', 500);
    expect(stop.lines.map((l) => l.msg)).toEqual(['ready', 'stopping: flushing', 'stop exceeded its bound: exiting 1', 'stopped']);
    expect(stop.lines.at(-1)).toMatchObject({ signal: 'SIGTERM', code: 1 });
    // Timers run on the loop's cached (on some kernels coarse) clock, so one may fire a few ms before a fresh reading
    // says it is due.
    expect(stop.lines.at(-1)?.ms as number).toBeGreaterThanOrEqual(495);
    expect(stop.code).toBe(1);
  });
});
