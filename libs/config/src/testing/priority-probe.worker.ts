/** Test thread for thread-priority.spec.ts: lowers its own priority by workerData steps and reports its nice values. */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../thread-priority';
import { niceOf } from './thread-nice';

const before = niceOf();
const refused = lowerThreadPriority(workerData as number);
parentPort!.postMessage({ refused: refused ?? null, before, after: niceOf() });
