import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '@verdict/config';
import type { EventStore } from '@verdict/event-store';
import { ReadModelProjections } from '@verdict/read-models';
import { DecisionMadeFixture } from '@verdict/read-models/testing/decision-made.fixture';
import { eventually } from '@verdict/read-models/testing/read-model-test-helpers';
import { postgresAvailable, randomSchema, TEST_PG_URL } from '../../../test/support/service-probe';
import { dropSchemas } from '../../../test/support/topologies';
import { createProjectorApp } from './projector-app';
import { ProjectorHttp } from './projector-http';
import { EVENT_STORE } from './projector.tokens';

interface Target {
  readonly name: string;
  env(dir: string): Record<string, string>;
  cleanUp?(): Promise<void>;
}

const targets: Target[] = [
  {
    name: 'sqlite',
    env: (dir) => ({
      VERDICT_EVENT_STORE: 'sqlite',
      VERDICT_EVENT_STORE_URL: path.join(dir, 'events.sqlite'),
      VERDICT_READ_MODELS: 'sqlite',
      VERDICT_READ_MODELS_URL: path.join(dir, 'read-models.sqlite'),
    }),
  },
];
if (postgresAvailable('projector health and metrics on PostgreSQL')) {
  const es = randomSchema('verdict_projector_es');
  const rm = randomSchema('verdict_projector_rm');
  targets.push({
    name: 'postgres',
    env: () => ({
      VERDICT_EVENT_STORE: 'postgres',
      VERDICT_EVENT_STORE_URL: TEST_PG_URL,
      VERDICT_EVENT_STORE_SCHEMA: es,
      VERDICT_READ_MODELS: 'postgres',
      VERDICT_READ_MODELS_URL: TEST_PG_URL,
      VERDICT_READ_MODELS_SCHEMA: rm,
    }),
    cleanUp: () => dropSchemas(es, rm),
  });
}

describe.each(targets)('projector health and metrics over HTTP ($name)', (target) => {
  let dir: string;
  afterAll(async () => {
    await target.cleanUp?.();
  });
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'verdict-projector-http-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves readiness with each projection checkpoint and lag in events, which reaches 0 after catch-up', async () => {
    const config = loadConfig({ VERDICT_DATA_DIR: dir, VERDICT_PROJECTOR_PORT: '0', LOG_LEVEL: 'silent', ...target.env(dir) });
    const { app } = await createProjectorApp(config, pino({ level: 'silent' }));
    try {
      const url = app.get(ProjectorHttp).url as string;
      const store = app.get<EventStore>(EVENT_STORE);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);

      const fixture = new DecisionMadeFixture();
      for (let i = 0; i < 12; i++) {
        const { streamId, event } = fixture.event();
        await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
      }
      // The log ends with events no projection applies: the lag still reaches 0.
      await store.appendToStream(`other-${randomUUID()}`, [{ id: randomUUID(), type: 'NotProjected', data: {} }], { expectedRevision: 'no_stream' });

      type Report = { status: string; checks: { eventStore: { status: string }; projections: Array<{ name: string; status: string; lag: number; checkpoint: number; eventsApplied: number }> } };
      let report: Report | undefined;
      await eventually('the lag to reach 0', async () => {
        const res = await fetch(`${url}/health/ready`);
        report = (await res.json()) as Report;
        return res.status === 200 && report?.checks.projections.every((p) => p.lag === 0) === true;
      }, 30_000);
      expect(report?.checks.eventStore.status).toBe('up');
      expect(report?.checks.projections).toEqual([
        expect.objectContaining({ name: ReadModelProjections.NAME, status: 'up', lag: 0, eventsApplied: 12, checkpoint: expect.any(Number) }),
      ]);

      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const text = await metrics.text();
      expect(text).toMatch(new RegExp(`^verdict_projection_lag_events\\{projection="${ReadModelProjections.NAME}"\\} 0$`, 'm'));
      expect(text).toMatch(new RegExp(`^verdict_projection_events_applied\\{projection="${ReadModelProjections.NAME}"\\} 12$`, 'm'));
      expect(text).toMatch(new RegExp(`^verdict_projection_running\\{projection="${ReadModelProjections.NAME}"\\} 1$`, 'm'));
      expect(text).toMatch(/^verdict_projector_process_cpu_seconds_total /m);
    } finally {
      await app.close();
    }
  });

  it('is not ready, and says why, once a projection has stopped on an error', async () => {
    const config = loadConfig({ VERDICT_DATA_DIR: dir, VERDICT_PROJECTOR_PORT: '0', LOG_LEVEL: 'silent', ...target.env(dir) });
    const { app, supervisor } = await createProjectorApp(config, pino({ level: 'silent' }));
    try {
      const url = app.get(ProjectorHttp).url as string;
      const store = app.get<EventStore>(EVENT_STORE);
      const { streamId, event } = new DecisionMadeFixture().event({ schemaVersion: 99 });
      await store.appendToStream(`${streamId}-${randomUUID()}`, [{ ...event, id: randomUUID() }], { expectedRevision: 'no_stream' });
      await supervisor.failure;
      const res = await fetch(`${url}/health/ready`);
      expect(res.status).toBe(503);
      const report = (await res.json()) as { checks: { projections: unknown[] } };
      expect(report.checks.projections[0]).toMatchObject({ status: 'down', lag: 1, error: expect.stringContaining('schema') });
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^verdict_projection_running\{projection=".+"\} 0$/m);
    } finally {
      await app.close();
    }
  });
});
