/**
 * `npm run bench:export`: an auditor's export of a whole log. It seeds N realistic decisions straight into a SQLite
 * event store (export-workload.ts), starts the built engine as its own process over it, waits for its read model,
 * then exports everything through `GET /v1/exports/decisions` several times in each format, reading the response as
 * fast as it comes. Reports decisions/s from the client's view (first byte requested to last byte read) and the
 * server's resident memory before and at its peak. Writes bench/results/export-node<major>.{json,md}.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { repoRoot, workerScript } from '@verdict/config';
import { ChildServer } from '../child-server';
import { freePort } from '../free-port';
import { machineInfo } from '../machine-info';
import { measureExport, seedDecisionLog, waitForReadModel, waitForSeal, type ExportMeasurement, type SeededLog } from './export-workload';
import { adminAuthHeaders } from '../../ops/admin-key';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const options = new Command('bench:export')
    .option('--decisions <n>', 'decisions to seed', (v) => Number.parseInt(v, 10), 200_000)
    .option('--runs <n>', 'exports of the whole log per format', (v) => Number.parseInt(v, 10), 3)
    .option('--data-dir <dir>', 'keep the seeded log here; a directory seeded by an earlier run is exported as it is')
    .parse()
    .opts<{ decisions: number; runs: number; dataDir?: string }>();
  const root = repoRoot();
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'verdict-export-bench-'));
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : path.join(scratch, 'data');
  let server: ChildServer | undefined;
  try {
    const seedFile = path.join(dataDir, 'seed.json');
    let seeded: SeededLog;
    if (existsSync(seedFile)) {
      seeded = JSON.parse(readFileSync(seedFile, 'utf8')) as SeededLog;
      say(`exporting the ${seeded.decisions} decisions seeded earlier in ${dataDir}`);
    } else {
      say(`seeding ${options.decisions} decisions into ${dataDir}…`);
      seeded = await seedDecisionLog(dataDir, options.decisions, say);
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The engine as `npm start` runs it (dist/), or from source when this bench itself runs from source (with the
    // TypeScript hook it was started with: workerScript).
    const engine = workerScript(path.extname(__filename) === '.js' ? path.join(root, 'dist/apps/engine/src/main.js') : path.join(root, 'apps/engine/src/main.ts'));
    server = await ChildServer.start({
      name: 'engine',
      script: engine.file,
      nodeArgs: engine.execArgv ?? [],
      env: { ...process.env, VERDICT_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      cwd: root,
      logFile: path.join(scratch, 'engine.log'),
      readyUrl: `${url}/health/ready`,
    });
    say('waiting for the read model and the seals…');
    const headers = adminAuthHeaders(dataDir);
    await waitForReadModel(url, BigInt(seeded.lastPosition), 600_000, headers);
    await waitForSeal(url, seeded.lastDecisionId, 600_000, headers);
    await measureExport(url, 'format=csv&cardId=card-1', server.pid!, { headers });

    const runs: Array<{ format: string } & ExportMeasurement> = [];
    for (const format of ['jsonl', 'csv']) {
      for (let i = 0; i < options.runs; i++) {
        const m = await measureExport(url, `format=${format}`, server.pid!, { headers });
        if (m.rows !== seeded.decisions) throw new Error(`${format} export gave ${m.rows} rows, expected ${seeded.decisions}`);
        say(`${format} ${i + 1}: ${m.rows} rows, ${(m.bytes / MB).toFixed(0)} MB in ${(m.durationMs / 1000).toFixed(2)} s = ${m.rowsPerSecond}/s; RSS +${((m.rssPeakBytes - m.rssBeforeBytes) / MB).toFixed(1)} MB`);
        runs.push({ format, ...m });
      }
    }
    const median = (format: string): number => {
      const sorted = runs.filter((r) => r.format === format).map((r) => r.rowsPerSecond).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)];
    };
    const machine = machineInfo(root);
    const major = process.versions.node.split('.')[0];
    const outDir = path.join(root, 'bench/results');
    mkdirSync(outDir, { recursive: true });
    const medians = { jsonl: median('jsonl'), csv: median('csv') };
    writeFileSync(path.join(outDir, `export-node${major}.json`), `${JSON.stringify({ machine, decisions: seeded.decisions, runs, medianPerSecond: medians }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    const md = [
      `# Export benchmark (Node ${process.versions.node})`,
      '',
      `${machine.date}, ${machine.cpuModel}, ${machine.nproc} cores, commit ${machine.gitCommit ?? 'unknown'}.`,
      '',
      `${seeded.decisions} decisions (~2 KB events) seeded straight into the embedded store (SQLite), the built engine in its own`,
      'process over it (read model caught up, the backlog sealed, so every row carries its seal); `GET /v1/exports/decisions?format=…`',
      'of the whole log, read as fast as it arrives over loopback by a node:http client on the same machine.',
      'decisions/s from the request to the last byte; RSS of the engine process (VmRSS) sampled every 20 ms.',
      '',
      '| format | run | rows | MB | duration | decisions/s | engine RSS before → peak |',
      '|---|---|---|---|---|---|---|',
      ...runs.map(
        (r, i) =>
          `| ${r.format} | ${(i % options.runs) + 1} | ${r.rows} | ${(r.bytes / MB).toFixed(0)} | ${(r.durationMs / 1000).toFixed(2)} s | ${r.rowsPerSecond.toLocaleString('en-US')} | ${(r.rssBeforeBytes / MB).toFixed(0)} → ${(r.rssPeakBytes / MB).toFixed(0)} MB |`,
      ),
      '',
      `Median: **${medians.jsonl.toLocaleString('en-US')} decisions/s** (JSONL), **${medians.csv.toLocaleString('en-US')} decisions/s** (CSV).`,
      '',
    ].join('\n');
    writeFileSync(path.join(outDir, `export-node${major}.md`), md);
    say(`medians jsonl ${medians.jsonl}/s, csv ${medians.csv}/s; written bench/results/export-node${major}.{json,md}`);
  } finally {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
