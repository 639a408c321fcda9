import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Guards the class of failure that made better-sqlite3 12 abort on Node 24: a native handle (SQLite statement, ONNX
 * session) finalised by the garbage collector while its worker thread starts, runs or is torn down. Each kind of
 * thread that owns native handles is started and stopped CYCLES times in a child process with forced GCs
 * (thread-churn.ts). A native abort would kill the child with SIGABRT, so "exit 0 and no signal" is the assertion.
 */
const CYCLES = 100;
const repoRoot = resolve(__dirname, '../..');

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function churn(kind: string, dir: string): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '-r', join(repoRoot, 'test/support/ts-register.js'), join(__dirname, 'thread-churn.ts'), kind, String(CYCLES), dir],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

describe(`native handles in worker threads survive ${CYCLES} start/stop cycles with forced GC (Node ${process.version})`, () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'verdict-native-handles-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['sqlite-writer', 'projection-worker', 'onnx-worker'])('%s', async (kind) => {
    const result = await churn(kind, dir);
    // On failure the child's stderr (the native stack of an abort) is the useful part of the message.
    expect({ code: result.code, signal: result.signal, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
      code: 0,
      signal: null,
      stderr: '',
    });
    expect(result.stdout).toContain(`survived ${kind} ${CYCLES}`);
  }, 600_000);
});
