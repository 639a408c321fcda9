import { readFileSync } from 'node:fs';

/**
 * A thread's nice value, from Linux /proc: the calling thread's, or one of this process's by thread id. Field 19 of
 * its stat line, counted after the name's closing parenthesis (a name may hold spaces).
 */
export function niceOf(tid = 'thread-self'): number {
  const stat = readFileSync(tid === 'thread-self' ? '/proc/thread-self/stat' : `/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
