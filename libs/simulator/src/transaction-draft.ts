import type { Channel, DecisionRequest } from '@verdict/domain/decision-request';
import { COUNTRIES, roundToCents } from './countries';
import type { Customer, Terminal } from './population';
import type { FraudScenario, LabeledTransaction } from './simulation-options';

/** A transaction before ordering and numbering: times are epoch seconds, amounts in USD. */
export interface TransactionDraft {
  readonly time: number;
  readonly customer: Customer;
  readonly terminal: Terminal;
  readonly channel: Channel;
  readonly amountUsd: number;
  readonly deviceId?: string;
  readonly ip?: string;
  scenario: FraudScenario | null;
  /** Epoch seconds; set for fraud only. */
  chargebackAt: number | null;
}

/** ISO-8601 in UTC with a Z offset, to the second. */
const isoSeconds = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().slice(0, 19) + 'Z';

export function toLabeledTransaction(draft: TransactionDraft, transactionId: string): LabeledTransaction {
  const merchantCountry = COUNTRIES[draft.terminal.country]!;
  const request: DecisionRequest = {
    transactionId,
    occurredAt: isoSeconds(draft.time),
    amount: Math.max(0.01, roundToCents(draft.amountUsd * merchantCountry.perUsd)),
    currency: merchantCountry.currency,
    cardId: draft.customer.cardId,
    merchantId: draft.terminal.id,
    customerId: draft.customer.id,
  };
  if (draft.deviceId !== undefined) request.deviceId = draft.deviceId;
  if (draft.ip !== undefined) request.ip = draft.ip;
  request.merchantCategory = draft.terminal.category.mcc;
  request.channel = draft.channel;
  request.country = merchantCountry.code;
  request.attributes = { cardCountry: COUNTRIES[draft.customer.country]!.code };
  const isFraud = draft.scenario !== null;
  return {
    request,
    label: {
      isFraud,
      scenario: draft.scenario,
      chargebackAt: isFraud && draft.chargebackAt !== null ? isoSeconds(draft.chargebackAt) : null,
    },
  };
}
