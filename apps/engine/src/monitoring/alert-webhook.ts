import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import {
  newEventId,
  ALERT_DELIVERED,
  ALERT_DELIVERY_FAILED,
  ALERT_TYPES,
  alertDeliveryStreamId,
  alertOf,
  isAlertType,
  type Alert,
  type AlertDeliveredV1,
  type AlertDeliveryFailedV1,
} from '@verdict/domain';
import type { VerdictConfig } from '@verdict/config';
import { WrongExpectedRevisionError, type AllSubscription, type EventStore } from '@verdict/event-store';
import { EVENT_STORE, LOGGER, VERDICT_CONFIG } from '../infrastructure/tokens';

/** Longest wait between two attempts. */
const MAX_BACKOFF_MS = 5 * 60_000;
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Delivers every alert in the log to VERDICT_ALERT_WEBHOOK_URL, at least once. It follows the log's alert events
 * from the start; an alert whose delivery stream exists has been dealt with (here or by another engine) and is
 * skipped. A delivery POSTs the alert as JSON (header `X-Verdict-Alert-Id` lets the receiver drop repeats), retries
 * with exponential backoff, then records `AlertDelivered` or, after the last attempt, `AlertDeliveryFailed`.
 * Alerts are delivered one at a time, in log order. Two engines may both deliver an alert before either records it:
 * that is the "at least once".
 */
@Injectable()
export class AlertWebhook implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription: AllSubscription | undefined;
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const url = this.config.alerts.webhookUrl;
    if (url === null) return;
    this.subscription = this.store.subscribeToAll({ filter: { eventTypePrefixes: [...ALERT_TYPES] } });
    this.loop = this.follow(this.subscription, url);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.close();
    await this.loop;
  }

  private async follow(subscription: AllSubscription, url: string): Promise<void> {
    try {
      for await (const event of subscription) {
        if (!isAlertType(event.type)) continue;
        const alert = alertOf({ id: event.id, type: event.type, data: event.data, position: event.position, recordedAt: event.recordedAt });
        if ((await this.store.readStream(alertDeliveryStreamId(alert.alertId), { maxCount: 1 })).length > 0) continue;
        await this.deliver(alert, url);
        if (this.stopping.signal.aborted) return;
      }
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      // Not swallowed: logged, and the engine's other work goes on; the next start resumes every undelivered alert.
      this.log.error({ err: error }, 'alert delivery stopped: the event store failed; undelivered alerts are delivered after a restart');
    }
  }

  private async deliver(alert: Alert, url: string): Promise<void> {
    const { retryBaseMs, maxAttempts } = this.config.alerts;
    let lastError = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-verdict-alert-id': alert.alertId },
          body: JSON.stringify(alert),
          signal: AbortSignal.any([AbortSignal.timeout(ATTEMPT_TIMEOUT_MS), this.stopping.signal]),
        });
        await res.arrayBuffer();
        if (res.ok) {
          const delivered: AlertDeliveredV1 = { schemaVersion: 1, alertId: alert.alertId, url, attempts: attempt, status: res.status, deliveredAt: new Date().toISOString() };
          await this.record(ALERT_DELIVERED, delivered);
          return;
        }
        lastError = `HTTP ${res.status}`;
      } catch (error) {
        if (this.stopping.signal.aborted) return; // not recorded: the next start delivers it
        lastError = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      }
      if (attempt < maxAttempts) {
        try {
          await sleep(Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** (attempt - 1)), undefined, { signal: this.stopping.signal });
        } catch {
          return;
        }
      }
    }
    const failed: AlertDeliveryFailedV1 = { schemaVersion: 1, alertId: alert.alertId, url, attempts: maxAttempts, lastError, failedAt: new Date().toISOString() };
    this.log.error({ alertId: alert.alertId, url, lastError }, 'alert delivery failed after every attempt; recorded as AlertDeliveryFailed');
    await this.record(ALERT_DELIVERY_FAILED, failed);
  }

  private async record(type: string, data: AlertDeliveredV1 | AlertDeliveryFailedV1): Promise<void> {
    try {
      await this.store.appendToStream(alertDeliveryStreamId(data.alertId), [{ id: newEventId(), type, data: { ...data } }], { expectedRevision: 'no_stream' });
    } catch (error) {
      // Another engine recorded this alert's delivery first: its record stands.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
