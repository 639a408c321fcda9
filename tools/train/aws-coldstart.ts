import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decisionRequestSchema, type Channel, type DecisionRequest } from '@verdict/domain';
import { parseCsv } from './csv-parser';

/** AWS Fraud Detector cold-start sample (see ../shared/data/aws-fraud-coldstart/SOURCE.md). */
export const AWS_COLDSTART_CSV = path.join('..', 'shared', 'data', 'aws-fraud-coldstart', 'transaction_data_2K_coldstart.csv');

/**
 * product_category → (channel, MCC). "_net" categories are online, "_pos" in person; the unsuffixed ones (fuel,
 * dining, travel…) are taken as in-person purchases. MCCs are the closest ISO 18245 codes.
 */
const CATEGORY_MAP: Readonly<Record<string, { channel: Channel; mcc: string }>> = {
  grocery_pos: { channel: 'pos', mcc: '5411' },
  grocery_net: { channel: 'ecom', mcc: '5411' },
  shopping_pos: { channel: 'pos', mcc: '5311' },
  shopping_net: { channel: 'ecom', mcc: '5999' },
  misc_pos: { channel: 'pos', mcc: '5999' },
  misc_net: { channel: 'ecom', mcc: '5999' },
  gas_transport: { channel: 'pos', mcc: '5541' },
  home: { channel: 'pos', mcc: '5200' },
  kids_pets: { channel: 'pos', mcc: '5995' },
  food_dining: { channel: 'pos', mcc: '5812' },
  entertainment: { channel: 'pos', mcc: '7832' },
  health_fitness: { channel: 'pos', mcc: '7997' },
  personal_care: { channel: 'pos', mcc: '7230' },
  travel: { channel: 'pos', mcc: '4722' },
};

export interface LabeledRequest {
  readonly request: DecisionRequest;
  readonly isFraud: boolean;
}

export class AwsColdstartMappingError extends Error {
  readonly code = 'AWS_COLDSTART_MAPPING_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'AwsColdstartMappingError';
  }
}

/**
 * Maps one labelled CSV row to a validated DecisionRequest. The transaction country is unknown (only the billing
 * address is given), so it is left out; IP and a user-agent-derived device id are only sent for online purchases,
 * as an in-person terminal would not have them.
 */
export function toDecisionRequest(row: Record<string, string>): DecisionRequest {
  const category = CATEGORY_MAP[row['product_category'] ?? ''];
  if (category === undefined) throw new AwsColdstartMappingError(`Unknown product_category "${row['product_category']}"`);
  const online = category.channel === 'ecom';
  const candidate = {
    transactionId: row['EVENT_ID'],
    occurredAt: row['EVENT_TIMESTAMP'],
    amount: Number(row['order_price']),
    currency: row['payment_currency'],
    cardId: `bin-${row['card_bin']}-${row['ENTITY_ID']}`,
    merchantId: row['merchant'],
    customerId: row['ENTITY_ID'],
    merchantCategory: category.mcc,
    channel: category.channel,
    ...(online && row['ip_address'] ? { ip: row['ip_address'] } : {}),
    ...(online && row['user_agent']
      ? { deviceId: `ua-${createHash('sha256').update(row['user_agent']).digest('hex').slice(0, 16)}` }
      : {}),
    attributes: { cardCountry: row['billing_country'] ?? '' },
  };
  const parsed = decisionRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new AwsColdstartMappingError(`Row ${row['EVENT_ID']} does not map to a valid request: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** The labelled rows (EVENT_LABEL 0 or 1) of the CSV at `file`, mapped to requests; unlabelled rows are skipped. */
export function loadAwsColdstart(file: string): LabeledRequest[] {
  const { records } = parseCsv(readFileSync(file, 'utf8'));
  const out: LabeledRequest[] = [];
  for (const row of records) {
    const label = row['EVENT_LABEL'];
    if (label !== '0' && label !== '1') continue;
    out.push({ request: toDecisionRequest(row), isFraud: label === '1' });
  }
  return out;
}
