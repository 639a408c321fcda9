import { startEngine, type RunningEngine } from '../../test/support/engine-harness';
import { runCli } from './simulate';
import { CapturedIo } from './testing/captured-io';

/** `simulate drive` against a real engine: fraudulent transactions' chargebacks arrive as labels once due. */
describe('simulate drive: chargebacks as labels', () => {
  let engine: RunningEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine?.stop());

  it('sends each decided fraud transaction its chargeback label when the simulated clock reaches it', async () => {
    const io = new CapturedIo();
    const args = ['drive', '--url', engine.url, '--api-key', engine.adminKey, '--rate', '400', '--duration', '5', '--seed', '11', '--id-prefix', 'cb-drive', '--chargeback-days', '0.001-0.002', '--json', '--report-interval', '10'];
    expect(await runCli(args, io)).toBe(0);
    const summary = JSON.parse(io.stdoutText);
    // How many are sent depends on the machine's speed (the sender waits for free slots); that none fail does not.
    expect(summary.succeeded).toBe(summary.sent);
    expect(summary.chargebacks.sent).toBeGreaterThan(0);
    expect(summary.chargebacks).toMatchObject({ recorded: summary.chargebacks.sent, rejected: 0 });

    // Every label the drive reported is on its transaction's stream, as a chargeback reported at its simulated instant:
    // after the transaction occurred (0.001-0.002 simulated days), and not in the future.
    const labels = await engine.store.readAll({ filter: { eventTypePrefixes: ['TransactionLabelled'] }, maxCount: 10_000 });
    expect(labels).toHaveLength(summary.chargebacks.sent);
    for (const e of labels) {
      const [decision] = await engine.store.readStream(e.streamId, { maxCount: 1 });
      expect(e.data).toMatchObject({ label: 'fraud', source: 'chargeback', recordedBy: 'admin/simulator' });
      const occurredAt = Date.parse((decision.data as { request: { occurredAt: string } }).request.occurredAt);
      const reportedAt = Date.parse(e.data.reportedAt as string);
      expect(reportedAt - occurredAt).toBeGreaterThanOrEqual(0.001 * 86_400_000);
      expect(reportedAt - occurredAt).toBeLessThanOrEqual(0.002 * 86_400_000);
      expect(reportedAt).toBeLessThanOrEqual(Date.now());
      expect(e.data).toMatchObject({ merchantId: (decision.data as { request: { merchantId: string } }).request.merchantId });
    }
  }, 60_000);

  it('sends none with --no-chargebacks', async () => {
    const io = new CapturedIo();
    const args = ['drive', '--url', engine.url, '--api-key', engine.adminKey, '--rate', '200', '--duration', '1', '--seed', '11', '--id-prefix', 'no-cb', '--no-chargebacks', '--chargeback-days', '0.01-0.02', '--json'];
    expect(await runCli(args, io)).toBe(0);
    expect(JSON.parse(io.stdoutText).chargebacks).toBeUndefined();
  });
});
