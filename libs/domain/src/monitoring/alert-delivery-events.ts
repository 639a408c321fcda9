/**
 * Webhook deliveries of alerts, one stream per alert: `alert-delivery-<alertId>`. Its first event ends the delivery
 * for good (appended expecting no stream, so one outcome per alert whatever the number of engines). The type names
 * are part of the stored format.
 */
export const ALERT_DELIVERED = 'AlertDelivered' as const;
export const ALERT_DELIVERY_FAILED = 'AlertDeliveryFailed' as const;

export const alertDeliveryStreamId = (alertId: string): string => `alert-delivery-${alertId}`;

export interface AlertDeliveredV1 {
  readonly schemaVersion: 1;
  readonly alertId: string;
  readonly url: string;
  readonly attempts: number;
  /** The receiver's HTTP status. */
  readonly status: number;
  readonly deliveredAt: string;
}

export interface AlertDeliveryFailedV1 {
  readonly schemaVersion: 1;
  readonly alertId: string;
  readonly url: string;
  readonly attempts: number;
  /** The last attempt's HTTP status or transport error. */
  readonly lastError: string;
  readonly failedAt: string;
}
