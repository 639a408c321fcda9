// decision_history as the SQLite migrations made it before 1767916800000 (NOUQ unset) or after it (NOUQ=1: no unique
// constraint on transaction_id), filled with random keys in batches as the projection writes them; prints the CPU per
// row. A copy of ../../cpu-by-statement/harness/read-model-inserts.js with that switch. From the repository root:
//   node bench/results/read-model-transaction-id/harness/read-model-inserts.js ROWS BATCH
// Environment: PS page size, CS cache_size, WA wal_autocheckpoint, as in the original.
const D = require('better-sqlite3'); const crypto = require('crypto'); const fs = require('fs');
const N = +process.argv[2] || 200000; const B = +process.argv[3] || 380;
fs.mkdirSync('/tmp/read-model-inserts', { recursive: true });
const file = '/tmp/read-model-inserts/h.db'; for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
const db = new D(file);
if (process.env.PS) db.pragma('page_size = ' + process.env.PS);
if (process.env.CS) db.pragma('cache_size = ' + process.env.CS);
db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
if (process.env.WA) db.pragma('wal_autocheckpoint = ' + process.env.WA);
db.exec(`CREATE TABLE h ("position" bigint NOT NULL, "decision_id" varchar(64) NOT NULL, "transaction_id" varchar(128) NOT NULL, "stream_id" varchar(160) NOT NULL,
 "card_id" varchar(128) NOT NULL, "customer_id" varchar(128), "merchant_id" varchar(128) NOT NULL, "amount" double precision NOT NULL,
 "currency" varchar(3) NOT NULL, "channel" varchar(8), "country" varchar(2), "outcome" varchar(16) NOT NULL, "score" double precision NOT NULL,
 "model_name" varchar(200) NOT NULL, "model_version" varchar(200) NOT NULL, "model_sha256" varchar(64) NOT NULL, "policy_version" varchar(200) NOT NULL,
 "occurred_at" datetime NOT NULL, "decided_at" datetime NOT NULL, "recorded_at" datetime NOT NULL, "arm" varchar(16) NOT NULL DEFAULT 'champion',
 "deployment_revision" integer NOT NULL DEFAULT 0, "subject_ref" varchar(64), "key_id" varchar(64),
 CONSTRAINT "pk" PRIMARY KEY ("decision_id")${process.env.NOUQ ? "" : ", CONSTRAINT uq UNIQUE (\"transaction_id\")"})`);
db.exec(`CREATE UNIQUE INDEX ux ON h ("position" DESC)`);
for (const [n, c] of [['card', '"card_id"'], ['cust', '"customer_id"'], ['merch', '"merchant_id"'], ['out', '"outcome"'], ['model', '"model_name","model_version"'], ['arm', '"arm"']]) db.exec(`CREATE INDEX ix_${n} ON h (${c}, "position" DESC)`);
db.exec(`CREATE INDEX ix_dec ON h ("decided_at")`); db.exec(`CREATE INDEX ix_subj ON h ("subject_ref")`);
const names = ['decision_id','transaction_id','stream_id','position','card_id','customer_id','merchant_id','amount','currency','channel','country','outcome','score','model_name','model_version','model_sha256','policy_version','occurred_at','decided_at','recorded_at','arm','deployment_revision','subject_ref','key_id'];
const row = (i) => { const t = 'tx-' + crypto.randomUUID(); const d = new Date(1.7e12 + i * 1000).toISOString().replace('T', ' ').slice(0, 23);
  return [crypto.randomUUID(), t, 'decision-' + t, i + 1, 'card-' + (Math.random() * 50000 | 0), 'cust-' + (Math.random() * 30000 | 0), 'm-' + (Math.random() * 2000 | 0), 12.5, 'EUR', 'web', 'DE', ['approve','review','decline'][i % 3], 0.1, 'fraud-demo', '2.0.0', 'ab'.repeat(32), 'p1', d, d, d, 'champion', 1, 's-' + crypto.randomBytes(16).toString('hex'), 'k-' + (i % 100)]; };
const stmts = new Map();
const insert = (rows) => { let s = stmts.get(rows.length); if (!s) { const v = rows.map(() => '(' + names.map(() => '?').join(',') + ')').join(','); s = db.prepare(`INSERT INTO h (${names.map((n) => '"' + n + '"').join(',')}) VALUES ${v} ON CONFLICT ("decision_id") DO NOTHING`); stmts.set(rows.length, s); } s.run(rows.flat()); };
const all = []; for (let i = 0; i < N; i++) all.push(row(i));
const cpu0 = process.cpuUsage(); const t0 = Date.now();
for (let s = 0; s < N; s += B) { const b = all.slice(s, s + B); db.transaction(() => { for (let j = 0; j < b.length; j += 200) insert(b.slice(j, j + 200)); })(); }
const c = process.cpuUsage(cpu0);
console.log('rows', N, 'batch', B, 'cpu µs/row', ((c.user + c.system) / N).toFixed(1), 'user', (c.user / N).toFixed(1), 'sys', (c.system / N).toFixed(1), 'wall s', (Date.now() - t0) / 1000);
