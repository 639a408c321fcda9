// The events table's layout (schema v3): commits of 30 rows of ~3.2 KB into a file already holding 90,000, with
// random (v4) event ids or time-ordered (v7) ones; CPU per row (this thread: the inserts, COMMIT and its fsync).
// Run from the repository root (for better-sqlite3): node bench/results/time-ordered-event-ids/harness/event-id-inserts.js
const D = require('better-sqlite3'); const { randomUUID } = require('crypto'); const fs = require('fs');
const { newEventId } = require(process.cwd() + '/dist/libs/domain/src/event-id.js');
const payload = 'x'.repeat(3150);
function run(kind) {
  const f = `/tmp/event-id-inserts-${kind}.sqlite`; for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
  const db = new D(f); db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at INTEGER NOT NULL, canonical INTEGER NOT NULL DEFAULT 0, CONSTRAINT events_event_id_unique UNIQUE (event_id), CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, revision))`);
  const ins = db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, 0, ?, ?, ?, ?)');
  const id = kind === 'v7' ? () => newEventId() : randomUUID;
  const commit = db.transaction((n) => { for (let i = 0; i < n; i++) ins.run(id(), 'decision-' + randomUUID(), 'DecisionMade', payload, '{"a":1}', Date.now()); });
  for (let i = 0; i < 3000; i++) commit(30);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < 1000; i++) commit(30);
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  console.log(kind, 'CPU µs a row', ((c.user + c.system) / 30000).toFixed(1), '(user', (c.user / 30000).toFixed(1), 'system', (c.system / 30000).toFixed(1) + ')', 'wall ms a commit', (t / 1000).toFixed(2));
  db.close(); for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
}
for (const k of ['v4', 'v7', 'v4', 'v7', 'v4', 'v7']) run(k);
