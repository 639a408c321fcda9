import { DecisionLoad, postDecision, type LoadOutcome } from './decision-load';
import type { CrashableEngine } from './engine-launcher';

export interface CrashCycleOptions {
  readonly cycles: number;
  /** Starts an engine on the one data directory every cycle uses. */
  readonly start: () => Promise<CrashableEngine>;
  /** Concurrent clients posting decisions. */
  readonly concurrency?: number;
  /** Each cycle is killed after a random number of acknowledgements, from 1 to this. */
  readonly maxAcksPerCycle?: number;
  /** Earlier acknowledgements checked again after each restart, at random. */
  readonly sampleAfterRestart?: number;
  readonly seed?: number;
  /** No cycle starts after this instant (epoch ms): the run ends with the cycles done so far, verified the same way. */
  readonly deadline?: number;
  readonly onCycle?: (report: CycleReport) => void;
}

export interface Ack {
  readonly transactionId: string;
  readonly decisionId: string;
  readonly position: number;
  readonly body: Record<string, unknown>;
}

export interface CycleReport {
  readonly cycle: number;
  readonly acknowledged: number;
  /** Requests sent without an answer when the process died: retried after the restart. */
  readonly inDoubt: number;
  readonly lost: number;
}

export interface CrashTestSummary {
  readonly cycles: number;
  readonly acknowledged: number;
  readonly inDoubt: number;
  /** In-doubt requests whose retry found them recorded (the kill came between COMMIT and answer). */
  readonly inDoubtRecorded: number;
  /** Acknowledged decisions missing or changed after a restart, plus read-model rows missing or duplicated. */
  readonly lost: number;
  readonly readModelRows: number;
  readonly problems: readonly string[];
}

/** Seeded, so a run's kill points can be repeated. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * kill -9 cycles on one data directory. Each cycle: start the engine, verify (every decision acknowledged in the
 * cycle before, a random sample of older ones, a retry of one), retry the requests left in doubt, load it with
 * concurrent clients, and SIGKILL it after a random number of acknowledgements. A last start verifies every
 * acknowledgement, a retry of each cycle's first, and that the read model holds every decision exactly once.
 */
export async function runCrashCycles(options: CrashCycleOptions): Promise<CrashTestSummary> {
  const random = prng(options.seed ?? 1);
  const acks: Ack[] = [];
  const problems: string[] = [];
  let atRisk: Ack[] = [];
  let inDoubt: LoadOutcome[] = [];
  let inDoubtTotal = 0;
  let inDoubtRecorded = 0;
  const lose = (message: string) => problems.length < 1000 && problems.push(message);

  const verify = async (engine: CrashableEngine, ack: Ack): Promise<void> => {
    const res = await fetch(`${engine.url}/v1/transactions/${encodeURIComponent(ack.transactionId)}/decision`, { headers: engine.authHeaders() });
    const record = res.status === 200 ? ((await res.json()) as { decisionId: string; position: number }) : undefined;
    if (!record) lose(`${ack.transactionId}: acknowledged as ${ack.decisionId}, now ${res.status}`);
    else if (record.decisionId !== ack.decisionId || record.position !== ack.position)
      lose(`${ack.transactionId}: acknowledged ${ack.decisionId}@${ack.position}, now ${record.decisionId}@${record.position}`);
  };
  const retry = async (engine: CrashableEngine, ack: Ack): Promise<void> => {
    const res = await postDecision(engine.url, engine.authHeaders(), ack.body);
    const answer = (await res.json()) as { decisionId?: string };
    if (res.status !== 200 || res.headers.get('idempotent-replayed') !== 'true' || answer.decisionId !== ack.decisionId)
      lose(`${ack.transactionId}: a retry answered ${res.status} ${answer.decisionId ?? ''}, not the original ${ack.decisionId}`);
  };
  /** The requests the kill left unanswered: each is either recorded (200, the original) or not (201, made now). */
  const settleInDoubt = async (engine: CrashableEngine): Promise<void> => {
    for (const o of inDoubt) {
      const res = await postDecision(engine.url, engine.authHeaders(), o.body);
      const answer = (await res.json()) as { decisionId: string; position: number };
      if (res.status !== 200 && res.status !== 201) {
        lose(`${o.transactionId}: in doubt, its retry answered ${res.status}`);
        continue;
      }
      if (res.status === 200) inDoubtRecorded++;
      const ack = { transactionId: o.transactionId, decisionId: answer.decisionId, position: answer.position, body: o.body };
      acks.push(ack);
      atRisk.push(ack);
    }
    inDoubt = [];
  };
  const checkRestart = async (engine: CrashableEngine): Promise<void> => {
    for (const ack of atRisk) await verify(engine, ack);
    const older = acks.length - atRisk.length;
    for (let i = 0; i < Math.min(options.sampleAfterRestart ?? 100, older); i++) await verify(engine, acks[Math.floor(random() * older)]);
    if (atRisk.length > 0) await retry(engine, atRisk[0]);
  };

  let cycle = 0;
  while (cycle < options.cycles && Date.now() < (options.deadline ?? Infinity)) {
    cycle++;
    const engine = await options.start();
    const lostBefore = problems.length;
    await checkRestart(engine);
    const doubted = inDoubt.length;
    // From here on, what is acknowledged (the in-doubt requests settled now included) is at risk from this kill.
    atRisk = [];
    await settleInDoubt(engine);
    const target = 1 + Math.floor(random() * (options.maxAcksPerCycle ?? 200));
    const load = new DecisionLoad({
      url: engine.url,
      headers: () => engine.authHeaders(),
      prefix: `crash-c${cycle}-`,
      concurrency: options.concurrency ?? 32,
      onAck: (o) => {
        const ack = { transactionId: o.transactionId, decisionId: o.answer!.decisionId!, position: o.answer!.position!, body: o.body };
        acks.push(ack);
        atRisk.push(ack);
      },
    }).start();
    while (load.acknowledged < target && load.clientsLeft > 0) await new Promise((r) => setTimeout(r, 5));
    load.markStop();
    await engine.kill9();
    const outcomes = await load.stop();
    inDoubt = outcomes.filter((o) => o.status === undefined);
    for (const o of outcomes) if (o.status !== undefined && o.status !== 201) lose(`${o.transactionId}: answered ${o.status} under load`);
    inDoubtTotal += inDoubt.length;
    options.onCycle?.({ cycle, acknowledged: atRisk.length, inDoubt: doubted, lost: problems.length - lostBefore });
  }

  const engine = await options.start();
  let rows = 0;
  try {
    await checkRestart(engine);
    await settleInDoubt(engine);
    for (const ack of acks) await verify(engine, ack);
    rows = await checkReadModel(engine, acks, lose);
  } finally {
    const exit = await engine.stop();
    if (exit.code !== 0) lose(`the last engine exited ${exit.code ?? exit.signal} on SIGTERM`);
  }
  return { cycles: cycle, acknowledged: acks.length, inDoubt: inDoubtTotal, inDoubtRecorded, lost: problems.length, readModelRows: rows, problems };
}

/** Waits for the projections to catch up, then pages the decision list: every acknowledgement once, nothing else. */
async function checkReadModel(engine: CrashableEngine, acks: readonly Ack[], lose: (m: string) => void): Promise<number> {
  for (;;) {
    const ready = (await (await fetch(`${engine.url}/health/ready`)).json()) as { checks: { projections: { lag: number } } };
    if (ready.checks.projections.lag === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seen = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const res = await fetch(`${engine.url}/v1/decisions?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: engine.authHeaders() });
    const page = (await res.json()) as { items: { decisionId: string }[]; nextCursor: string | null };
    for (const item of page.items) seen.set(item.decisionId, (seen.get(item.decisionId) ?? 0) + 1);
    cursor = page.nextCursor;
  } while (cursor);
  let rows = 0;
  for (const [id, n] of seen) {
    rows += n;
    if (n > 1) lose(`read model: ${id} ${n} times`);
  }
  const acked = new Set(acks.map((a) => a.decisionId));
  for (const id of acked) if (!seen.has(id)) lose(`read model: ${id} missing`);
  for (const id of seen.keys()) if (!acked.has(id)) lose(`read model: ${id} was never acknowledged`);
  return rows;
}
