// Jest's "did not exit one second after the test run has completed" names nothing, and on Node 24 it has appeared
// now and then in runs where every suite, run alone under --detectOpenHandles, closed what it opened. With
// --runInBand the suites' sockets, timers and threads live in this process: if something still holds it 2 s after
// the run, this names each thing and where it points (never during a normal exit: the timer is unref'd). Node lists
// timers and worker threads among the resources by kind only; sockets, servers and child processes by what they are.
const LINGER_MS = 2000;

function describe(handle) {
  const kind = handle?.constructor?.name ?? typeof handle;
  if (kind === 'Socket' || kind === 'TLSSocket') {
    const fd = handle._handle?.fd;
    if (!handle.localAddress && !handle.remoteAddress) return `pipe${fd === undefined ? '' : ` fd ${fd}`}`;
    const local = `${handle.localAddress ?? handle._pipeName ?? '?'}:${handle.localPort ?? ''}`;
    const remote = handle.remoteAddress ? ` -> ${handle.remoteAddress}:${handle.remotePort}` : '';
    return `${kind} ${local}${remote}${fd === undefined ? '' : ` fd ${fd}`}${handle.destroyed ? ' (destroyed)' : ''}`;
  }
  if (kind === 'Server') return `Server ${JSON.stringify(handle.address())}`;
  if (kind === 'ChildProcess') return `ChildProcess pid ${handle.pid} ${handle.spawnfile} ${handle.spawnargs?.slice(1, 4).join(' ')}`;
  return kind;
}

module.exports = async function reportLingeringHandles() {
  const timer = setTimeout(() => {
    const handles = typeof process._getActiveHandles === 'function' ? process._getActiveHandles() : [];
    const lines = handles.filter((h) => h !== process.stdout && h !== process.stderr && h !== process.stdin).map(describe);
    process.stderr.write(
      `\nThe test run ended ${LINGER_MS} ms ago and the process is still alive. Resources: ` +
        `${process.getActiveResourcesInfo().join(', ')}\n${lines.map((l) => `  - ${l}`).join('\n')}\n`,
    );
  }, LINGER_MS);
  timer.unref();
};
