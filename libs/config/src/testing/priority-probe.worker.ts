/** Test thread for thread-priority.spec.ts: lowers its own priority by workerData steps and reports its nice values. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../thread-priority';

const niceOf = (): number => {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};
const before = niceOf();
const refused = lowerThreadPriority(workerData as number);
parentPort!.postMessage({ refused: refused ?? null, before, after: niceOf() });
