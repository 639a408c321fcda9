import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ALERT_DELIVERED, ALERT_DELIVERY_FAILED, PERFORMANCE_DEGRADED, PERFORMANCE_RECOVERED } from '@verdict/domain';
import { PerformanceMonitor } from '../../apps/engine/src/monitoring/performance-monitor';
import { decisionRequest, startEngine, type RunningEngine } from '../support/engine-harness';
import { e2eTopologies } from '../support/topologies';

interface Received {
  alertId: string | undefined;
  body: { alertId: string; type: string; summary: string };
}

/** A webhook receiver on a real port: answers each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ alertId: req.headers['x-verdict-alert-id'] as string | undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const until = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.each(e2eTopologies())('performance alerts and their webhook ($name)', (topology) => {
  let engine: RunningEngine;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const made: { transactionId: string; outcome: string; model: { name: string; version: string } }[] = [];

  beforeAll(async () => {
    await topology.setUp?.();
    hook = await receiver([503]);
    engine = await startEngine({
      ...topology.env(),
      VERDICT_ALERT_WEBHOOK_URL: hook.url,
      VERDICT_ALERT_WEBHOOK_RETRY_MS: '50',
      VERDICT_PERFORMANCE_CHECK_SECONDS: '0',
      VERDICT_PERFORMANCE_MIN_LABELS: '10',
      VERDICT_PERFORMANCE_MARGIN: '0.1',
    });
    const policy = await engine.send('PUT', '/v1/deployment/policy', { target: 'champion', version: `alerts-${randomUUID().slice(0, 6)}`, reviewThreshold: 0.01, declineThreshold: 0.05, reason: 'alerts test' });
    expect(policy.status).toBe(200);
    for (let i = 0; i < 30; i++) {
      const res = await engine.post('/v1/decisions', decisionRequest({ amount: [3, 80, 950, 4_000, 12_000][i % 5] * (1 + i / 100), country: i % 3 ? 'DE' : 'NG' }));
      made.push(await res.json());
    }
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    await hook?.close();
    await topology.tearDown?.();
  });

  const label = async (fraudIf: (d: (typeof made)[number]) => boolean, labelId: string) => {
    const reportedAt = new Date().toISOString();
    const labels = made.map((d) => ({ transactionId: d.transactionId, labelId, label: fraudIf(d) ? 'fraud' : 'legitimate', source: 'manual', reportedAt }));
    const res = await engine.post('/v1/labels/batch', { labels });
    expect((await res.json()).created).toBe(made.length);
    let newest = 0n;
    for (const d of made) {
      const s = await engine.store.readStream(`decision-${d.transactionId}`);
      if (s[s.length - 1].position > newest) newest = s[s.length - 1].position;
    }
    await engine.caughtUp(Number(newest));
    await new Promise((r) => setTimeout(r, 5)); // asOf is "now": strictly after reportedAt
  };
  const monitoring = async () => (await engine.store.readStream(`monitoring-${made[0].model.name}`)).map((e) => e.type);

  it('raises PerformanceDegraded once when recall falls below the card, lists it, and delivers it at least once', async () => {
    expect(made.some((d) => d.outcome === 'decline') && made.some((d) => d.outcome !== 'decline')).toBe(true);
    // Everything the model let through was fraud, everything it declined legitimate: recall and precision are 0.
    await label((d) => d.outcome !== 'decline', 'truth-1');
    const monitor = engine.resolve(PerformanceMonitor);
    await monitor.checkNow();
    await monitor.checkNow();
    expect(await monitoring()).toEqual([PERFORMANCE_DEGRADED]);

    const [event] = await engine.store.readStream(`monitoring-${made[0].model.name}`);
    expect(event.data).toMatchObject({ model: made[0].model.name, version: made[0].model.version, recall: 0, breached: expect.arrayContaining(['recall']), labelled: 30, minLabels: 10 });
    await engine.caughtUp(Number(event.position));
    const alerts = await (await engine.get('/v1/alerts')).json();
    expect(alerts.items[0]).toMatchObject({ alertId: event.id, type: PERFORMANCE_DEGRADED, model: made[0].model.name, summary: expect.stringContaining('recall 0.000 < card') });
    expect((await (await engine.get('/v1/alerts?type=DriftDetected')).json()).items).toEqual([]);
    const doc = await (await engine.get('/openapi.json')).json();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'verdict', components: doc.components }, 'verdict');
    const validate = ajv.getSchema('verdict#/components/schemas/Alert')!;
    expect(validate(alerts.items[0]) ? [] : validate.errors).toEqual([]);
    expect((await engine.get('/v1/alerts?type=Nope')).status).toBe(400);

    // The receiver failed the first attempt: a retry delivered it, and the delivery is recorded.
    await until(async () => (await engine.store.readStream(`alert-delivery-${event.id}`)).length > 0, 'the delivery record');
    expect(hook.received.map((r) => [r.alertId, r.body.type])).toEqual([
      [event.id, PERFORMANCE_DEGRADED],
      [event.id, PERFORMANCE_DEGRADED],
    ]);
    const [record] = await engine.store.readStream(`alert-delivery-${event.id}`);
    expect(record).toMatchObject({ type: ALERT_DELIVERED, data: { alertId: event.id, attempts: 2, status: 200, url: hook.url } });

    const metrics = await (await engine.get('/metrics')).text();
    expect(metrics).toMatch(new RegExp(`verdict_model_performance\\{model="${made[0].model.name}",version="${made[0].model.version}",figure="recall"\\} 0`));
  });

  it('records PerformanceRecovered once the labels in force say the model is as good as its card again', async () => {
    await label((d) => d.outcome === 'decline', 'truth-2');
    await engine.resolve(PerformanceMonitor).checkNow();
    expect(await monitoring()).toEqual([PERFORMANCE_DEGRADED, PERFORMANCE_RECOVERED]);
  });
});

describe('alert webhook that never answers 2xx', () => {
  it('records AlertDeliveryFailed after the last attempt, and stops trying', async () => {
    const hook = await receiver([500, 500, 500, 500]);
    const env = { VERDICT_ALERT_WEBHOOK_URL: hook.url, VERDICT_ALERT_WEBHOOK_RETRY_MS: '20', VERDICT_ALERT_WEBHOOK_ATTEMPTS: '3' };
    const engine = await startEngine(env);
    try {
      const alert = { schemaVersion: 1, model: 'm', version: '1', window: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, asOf: '2026-12-01T00:00:00.000Z', labelled: 99, precision: 0.1, recall: 0.1, card: { precision: 0.7, recall: 0.6 }, margin: 0.1, minLabels: 50, breached: ['precision', 'recall'] };
      const id = randomUUID();
      await engine.store.appendToStream('monitoring-m', [{ id, type: PERFORMANCE_DEGRADED, data: alert }], { expectedRevision: 'no_stream' });
      await until(async () => (await engine.store.readStream(`alert-delivery-${id}`)).length > 0, 'the failure record');
      const [record] = await engine.store.readStream(`alert-delivery-${id}`);
      expect(record).toMatchObject({ type: ALERT_DELIVERY_FAILED, data: { attempts: 3, lastError: 'HTTP 500' } });
      expect(hook.received).toHaveLength(3);
    } finally {
      await engine.stop();
      await hook.close();
    }
  });
});
