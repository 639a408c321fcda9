import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { loadConfig } from '@verdict/config';
import { verifyEventProof, type AuditFinding, type EventProof } from '@verdict/domain/audit';
import { createEventStore } from '@verdict/event-store';
import { eventStoreSelection, keyMap, verifyEventStore, WorkerRangeChecker, type VerificationProgress, type VerificationReport } from '@verdict/audit';
import type { CliIo } from '../simulate/cli-io';
import type { ApiClient } from './api-client';
import { table } from './output';

/** Without a terminal: one progress line this often, so a CI log shows the verification is alive. */
const LINE_EVERY_MS = 5_000;
/** Exit code when the command ran and found something (as `verdict replay`). */
const FINDINGS_EXIT = 3;

const positiveInt = (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('--threads must be an integer from 1 to 64');
  return n;
};
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function readKeys(files: readonly string[]): ReturnType<typeof keyMap> {
  const keys = new Map() as ReturnType<typeof keyMap>;
  for (const file of files) {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`--public-key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      for (const [id, key] of keyMap([pem])) keys.set(id, key);
    } catch {
      throw new Error(`--public-key ${file}: not an Ed25519 public key in PEM form`);
    }
  }
  return keys;
}

function findingLine(f: AuditFinding): string[] {
  const at = 'position' in f ? `position ${f.position}` : '';
  const what = 'stream' in f ? `${f.stream}@${f.revision}` : '';
  return [f.kind, String(f.seal), at, what, f.detail];
}

function summary(r: VerificationReport): string {
  const head = [
    `${r.clean ? 'clean' : `${r.findings.length} finding(s)`}: ${r.seals} seal(s), ${r.eventsChecked} event(s) checked on ${r.store} in ${(r.durationMs / 1000).toFixed(1)} s (${r.eventsPerSecond} events/s)`,
    `sealed through position ${r.sealedThrough}; ${r.unsealedEvents} later event(s) not sealed yet`,
    `trusted keys (${r.trust === 'trusted-keys' ? 'given with --public-key' : 'from audit-keys in the store'}): ${r.keys.join(', ') || 'none'}`,
  ];
  if (r.seals === 0) head.push('no seals in this store: nothing is proven (see docs/audit.md on anchoring seal hashes elsewhere)');
  if (r.findings.length === 0) return head.join('\n');
  return `${head.join('\n')}\n\n${table(['FINDING', 'SEAL', 'WHERE', 'EVENT', 'DETAIL'], r.findings.map(findingLine))}`;
}

/** A bar on a terminal; otherwise a line every few seconds. */
function progressReporter(io: CliIo): { update(p: VerificationProgress): void; stop(): void } {
  if (io.stderrIsTty) {
    const bar = new SingleBar({ stream: io.stderr, format: 'verify |{bar}| {percentage}% | {events} events | eta {eta_formatted}', hideCursor: true });
    let started = false;
    return {
      update(p) {
        const total = Number(p.sealedThrough);
        if (!started) bar.start(total, 0, { events: 0 });
        started = true;
        bar.update(Number(p.positionsDone), { events: p.eventsChecked });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = Date.now();
  return {
    update(p) {
      if (Date.now() - last < LINE_EVERY_MS) return;
      last = Date.now();
      io.stderr.write(`verify: through position ${p.positionsDone} of ${p.sealedThrough}, ${p.eventsChecked} events\n`);
    },
    stop: () => undefined,
  };
}

/**
 * `verdict audit …`: verify reads the event store itself (no engine to trust), verify-proof needs nothing but the proof
 * and a public key, keys asks the engine. Exit codes: 0 clean / valid, 3 any finding or an invalid proof.
 */
export function auditCommands(program: Command, io: CliIo, client: () => ApiClient, json: () => boolean, setExitCode: (code: number) => void): void {
  const audit = program.command('audit').description('sealed audit periods: verify the store, check a proof, list the signing keys (docs/audit.md)');

  audit
    .command('verify')
    .description('recompute every seal from the events in the store, read directly (not through an engine)')
    .option('--event-store <url>', 'SQLite file path, postgres://… or esdb://… (default: VERDICT_EVENT_STORE_URL, as the engine reads it)')
    .option('--schema <name>', 'PostgreSQL schema of the event store (default: VERDICT_EVENT_STORE_SCHEMA or verdict)')
    .option('--public-key <pem>', 'trust only this public key (repeatable) instead of the keys published in the store', collect)
    .option('--threads <n>', 'worker threads that hash seal ranges, each with its own connection', positiveInt, Math.min(2, availableParallelism()))
    .action(async (flags: { eventStore?: string; schema?: string; publicKey?: string[]; threads: number }) => {
      const selection = flags.eventStore ? eventStoreSelection(flags.eventStore, flags.schema ?? process.env.VERDICT_EVENT_STORE_SCHEMA ?? 'verdict') : loadConfig().eventStore;
      // Opening a SQLite path creates the file: a mistyped path would verify an empty store "clean".
      if (selection.kind === 'sqlite' && !existsSync(selection.url)) throw new Error(`no event store at ${selection.url}`);
      const trustedKeys = flags.publicKey ? readKeys(flags.publicKey) : undefined;
      const store = await createEventStore(selection, { readOnly: true }); // appends nothing; a SQLite file is left as it is
      const checker = flags.threads > 1 ? new WorkerRangeChecker(selection, flags.threads) : undefined;
      const progress = progressReporter(io);
      let report: VerificationReport;
      try {
        report = await verifyEventStore(store, { trustedKeys, checker, concurrency: flags.threads * 2, onProgress: (p) => progress.update(p) });
      } finally {
        progress.stop();
        await checker?.close();
        await store.close();
      }
      io.stdout.write(json() ? `${JSON.stringify(report, null, 2)}\n` : `${summary(report)}\n`);
      if (!report.clean) setExitCode(FINDINGS_EXIT);
    });

  audit
    .command('verify-proof <file>')
    .description("check a decision's proof (GET /v1/decisions/{id}/proof) offline, against a public key you trust")
    .requiredOption('--public-key <pem>', 'the public key (PEM) to trust (repeatable)', collect)
    .action((file: string, flags: { publicKey: string[] }) => {
      const proof = JSON.parse(readFileSync(file, 'utf8')) as EventProof;
      const result = verifyEventProof(proof, readKeys(flags.publicKey));
      if (json()) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const e = proof.event;
        const head = `${result.valid ? 'valid' : 'INVALID'}: ${e?.type} ${e?.stream}@${e?.revision} at position ${e?.position}, seal ${proof.seal?.header?.index}`;
        io.stdout.write(`${head}\n${result.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`).join('\n')}\n`);
      }
      if (!result.valid) setExitCode(FINDINGS_EXIT);
    });

  audit
    .command('keys')
    .description('the public keys seals are signed with, as the engine serves them')
    .action(async () => {
      const { body } = await client().get<{ activeKeyId: string; keys: { keyId: string; algorithm: string; addedAt: string; position: string; publicKeyPem: string }[] }>('/v1/audit/keys');
      if (json()) io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      else io.stdout.write(`${table(['KEY', 'ALGORITHM', 'ADDED', 'POSITION', 'ACTIVE'], body.keys.map((k) => [k.keyId, k.algorithm, k.addedAt, k.position, k.keyId === body.activeKeyId ? 'yes' : '']))}\n`);
    });
}
