import { DECISION_MADE, decisionStreamId, type DecisionMade } from '@verdict/domain';
import { NO_STREAM } from '@verdict/event-store';
import { decisionRequest, startEngine, type RunningEngine } from '../../test/support/engine-harness';
import { CapturedIo } from '../simulate/testing/captured-io';
import { runVerdictCli } from './verdict';

/** `verdict replay` against a real engine: a clean replay exits 0, a replay with a mismatch exits 3 and names it. */
describe('verdict replay', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine();
    for (let i = 0; i < 20; i++) expect((await engine.post('/v1/decisions', decisionRequest({ amount: 10 + i * 37 }))).status).toBe(201);
  });
  afterAll(() => engine?.stop());

  const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const io = new CapturedIo();
    const code = await runVerdictCli(['--url', engine.url, '--api-key', engine.adminKey, ...args], io);
    return { code, out: io.stdoutText, err: io.stderrText };
  };

  it('replays everything, reports identical decisions and exits 0', async () => {
    const r = await run('replay');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/20 decisions in/);
    expect(r.out).toMatch(/identical 20, mismatched 0, model missing 0, model altered 0/);
    // Not a terminal: progress as lines on stderr.
    expect(r.err).toMatch(/completed, 20\/20 decisions/);
  });

  it('exits 3 on a mismatch and prints the field; --json gives the whole replay', async () => {
    const [event] = await engine.store.readAll({ maxCount: 1, filter: { eventTypePrefixes: [DECISION_MADE] } });
    const original = event.data as unknown as DecisionMade;
    const altered = { ...original, transactionId: `${original.transactionId}-altered`, decisionId: `${original.decisionId}-altered`, outcome: original.outcome === 'decline' ? 'approve' : 'decline' };
    const { position } = await engine.store.appendToStream(decisionStreamId(altered.transactionId), [{ id: crypto.randomUUID(), type: DECISION_MADE, data: altered }], { expectedRevision: NO_STREAM });
    const r = await run('replay', '--from-position', position.toString());
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/mismatched 1/);
    expect(r.out).toMatch(new RegExp(`${position}\\s+${altered.decisionId}\\s+outcome`));
    const j = await run('--json', 'replay', '--from-position', position.toString());
    expect(j.code).toBe(3);
    expect(JSON.parse(j.out).report.mismatches[0]).toMatchObject({ field: 'outcome', recorded: altered.outcome, replayed: original.outcome });
  });

  it('refuses a bad date before calling the engine (exit 2)', async () => {
    expect((await run('replay', '--from', 'yesterday')).code).toBe(2);
  });
});
