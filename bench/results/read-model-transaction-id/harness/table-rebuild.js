// Times the SQLite migration's rebuild of decision_history (new table, copy in position order, drop, rename, indexes
// made again) on the file read-model-inserts.js leaves in /tmp/read-model-inserts/h.db. From the repository root.
const D = require('better-sqlite3');
const db = new D('/tmp/read-model-inserts/h.db');
const n = db.prepare('SELECT count(*) AS n FROM h').get().n;
const cols = db.prepare("SELECT name FROM pragma_table_info('h')").all().map(r => '"' + r.name + '"').join(', ');
const ddl = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'h'").get().sql.replace('CREATE TABLE h', 'CREATE TABLE h2');
const idx = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'h' AND sql IS NOT NULL").all().map(r => r.sql);
const t0 = performance.now(); const c0 = process.cpuUsage();
db.transaction(() => {
  db.exec(ddl);
  db.exec(`INSERT INTO h2 (${cols}) SELECT ${cols} FROM h ORDER BY "position"`);
  db.exec('DROP TABLE h'); db.exec('ALTER TABLE h2 RENAME TO h');
  for (const s of idx) db.exec(s);
})();
const c = process.cpuUsage(c0);
console.log('rows', n, 'rebuild s', ((performance.now() - t0) / 1000).toFixed(1), 'cpu s', ((c.user + c.system) / 1e6).toFixed(1), 'µs/row', ((performance.now() - t0) * 1000 / n).toFixed(1));
