import { Writable } from 'node:stream';
import type { CliIo } from '../cli-io';

/** A CliIo that captures what a command writes, for in-process CLI tests. */
export class CapturedIo implements CliIo {
  private out = '';
  private err = '';
  readonly stdout = new Writable({ write: (chunk: Buffer, _enc, cb) => ((this.out += chunk.toString('utf8')), cb()) });
  readonly stderr = new Writable({ write: (chunk: Buffer, _enc, cb) => ((this.err += chunk.toString('utf8')), cb()) });
  constructor(readonly stderrIsTty = false) {}
  get stdoutText(): string {
    return this.out;
  }
  get stderrText(): string {
    return this.err;
  }
}
