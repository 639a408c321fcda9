import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Whether `strace` can be run here (it is how fsyncs are counted from outside the process). */
export function straceAvailable(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sums the `calls` column of an `strace -c` summary for fsync and fdatasync. */
function parseStraceCalls(summary: string): number {
  let calls = 0;
  for (const line of summary.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const name = cols[cols.length - 1];
    if ((name === 'fsync' || name === 'fdatasync') && cols.length >= 5) calls += Number(cols[3]);
  }
  return calls;
}

export interface TracedRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** fsync + fdatasync calls made by the process and all its threads. */
  readonly fsyncCalls: number;
}

/** Runs `command args` under `strace -f -c` and counts its fsync and fdatasync calls (every thread included). */
export function countFsyncs(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): TracedRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verdict-strace-'));
  const out = path.join(dir, 'summary.txt');
  try {
    const run = spawnSync('strace', ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-o', out, command, ...args], { encoding: 'utf8', env });
    if (run.error) throw run.error;
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, fsyncCalls: parseStraceCalls(readFileSync(out, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
