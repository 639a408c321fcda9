/** Test process for thread-priority.spec.ts: lowers V8's pool by argv[2] steps; prints each thread's nice value before and after. */
import { readdirSync, readFileSync } from 'node:fs';
import { lowerV8PoolPriority } from '../thread-priority';
import { niceOf } from './thread-nice';

const threads = () =>
  readdirSync('/proc/self/task').map((tid) => ({ tid, name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: niceOf(tid) }));
const before = threads();
const result = lowerV8PoolPriority(Number(process.argv[2]));
process.stdout.write(JSON.stringify({ result, before, after: threads(), main: String(process.pid) }));
