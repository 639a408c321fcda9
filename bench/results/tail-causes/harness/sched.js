// preload: after SCHED_DELAY ms, apply SCHED_POLICY (batch|idle) to threads whose comm matches SCHED_MATCH (regex), log names
const { isMainThread } = require('node:worker_threads');
if (isMainThread) {
  const fs = require('node:fs'); const { spawnSync } = require('node:child_process');
  setTimeout(() => {
    const re = new RegExp(process.env.SCHED_MATCH || '^$'); const out = [];
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const comm = fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      let applied = false;
      if (Number(tid) !== process.pid && re.test(comm)) { spawnSync('chrt', [process.env.SCHED_POLICY === 'idle' ? '-i' : '-b', '-p', '0', tid]); applied = true; }
      out.push(`${tid}:${comm}${applied ? '*' : ''}`);
    }
    fs.writeFileSync(`/tmp/sched-${process.pid}.txt`, out.join('\n') + '\n');
  }, Number(process.env.SCHED_DELAY || 4000)).unref();
}
