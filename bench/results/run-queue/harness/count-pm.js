const { Worker, MessagePort, isMainThread } = require('node:worker_threads');
if (isMainThread) {
  const counts = new Map();
  const wrap = (proto, label) => {
    const orig = proto.postMessage;
    proto.postMessage = function (m, t) {
      const k = label + ':' + ((this.threadId !== undefined ? '' : '') + (m && m.type || m && m.method || m && m.kind || Object.keys(m || {}).slice(0,3).join(',')));
      counts.set(k, (counts.get(k) || 0) + 1);
      return orig.call(this, m, t);
    };
  };
  wrap(Worker.prototype, 'worker');
  wrap(MessagePort.prototype, 'port');
  let last = Date.now();
  setInterval(() => {
    const now = Date.now(); const s = (now - last) / 1000; last = now;
    const line = [...counts].map(([k, v]) => `${k}=${(v / s).toFixed(0)}/s`).join(' ');
    process.stderr.write(`[pm] ${line}\n`); counts.clear();
  }, 5000).unref();
}
