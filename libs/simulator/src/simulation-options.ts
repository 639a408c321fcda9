import type { DecisionRequest } from '@verdict/domain/decision-request';

export const FRAUD_SCENARIOS = ['amount-anomaly', 'compromised-terminal', 'compromised-card', 'foreign-spike'] as const;
export type FraudScenario = (typeof FRAUD_SCENARIOS)[number];

/** Rates of the injected fraud scenarios. Setting a rate to 0 switches its scenario off. */
export interface FraudSettings {
  /** Per customer and day: chance that a stolen card is used for one unusually large purchase. */
  amountAnomalyRate: number;
  /** Per terminal and day: chance that the terminal gets compromised (skimmer, rogue merchant). */
  compromisedTerminalRate: number;
  /** How long a compromised terminal stays compromised, in whole days (inclusive range). */
  compromisedTerminalDays: { min: number; max: number };
  /** Per customer and day: chance that the card's details are stolen and spent card-not-present. */
  compromisedCardRate: number;
  /** Per customer and day: chance that the card is cloned and spent in person in another country. */
  foreignSpikeRate: number;
  /** Chance that a card used at a compromised terminal is later cashed out (compromised-card or foreign-spike). */
  skimmedCardCashOutRate: number;
  /** When the chargeback of a fraudulent transaction arrives, in days after it (uniform range). */
  chargebackDays: { min: number; max: number };
}

export const DEFAULT_FRAUD_SETTINGS: Readonly<FraudSettings> = Object.freeze({
  amountAnomalyRate: 0.003,
  compromisedTerminalRate: 0.0004,
  compromisedTerminalDays: { min: 3, max: 21 },
  compromisedCardRate: 0.0015,
  foreignSpikeRate: 0.0008,
  skimmedCardCashOutRate: 0.15,
  chargebackDays: { min: 3, max: 60 },
});

export interface SimulationOptions {
  seed: number;
  customers?: number;
  terminals?: number;
  days?: number;
  /** First simulated day, YYYY-MM-DD (UTC). */
  startDate?: string;
  fraud?: Partial<FraudSettings>;
}

export interface TransactionLabel {
  isFraud: boolean;
  scenario: FraudScenario | null;
  /** When the issuer would learn of the fraud (ISO, after occurredAt); null for legitimate transactions. */
  chargebackAt: string | null;
}

export interface LabeledTransaction {
  request: DecisionRequest;
  label: TransactionLabel;
}

export interface ResolvedSimulationOptions {
  seed: number;
  customers: number;
  terminals: number;
  days: number;
  startDate: string;
  /** Midnight UTC of startDate, in epoch seconds. */
  startEpochSeconds: number;
  fraud: FraudSettings;
}

export class SimulationOptionsError extends Error {
  readonly code = 'SIMULATOR_INVALID_OPTIONS';
  constructor(message: string) {
    super(message);
    this.name = 'SimulationOptionsError';
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function positiveInt(name: string, value: number | undefined, fallback: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max) throw new SimulationOptionsError(`${name} must be an integer in [1, ${max}], got ${v}`);
  return v;
}

function probability(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new SimulationOptionsError(`fraud.${name} must be in [0, 1], got ${value}`);
  return value;
}

function dayRange(name: string, r: { min: number; max: number }): { min: number; max: number } {
  if (!Number.isFinite(r.min) || !Number.isFinite(r.max) || r.min < 0 || r.max < r.min) {
    throw new SimulationOptionsError(`fraud.${name} must satisfy 0 <= min <= max, got ${JSON.stringify(r)}`);
  }
  return { min: r.min, max: r.max };
}

export function resolveSimulationOptions(options: SimulationOptions): ResolvedSimulationOptions {
  if (!Number.isSafeInteger(options.seed)) throw new SimulationOptionsError(`seed must be a safe integer, got ${options.seed}`);
  const startDate = options.startDate ?? '2026-01-01';
  const m = DATE_ONLY.exec(startDate);
  const startMs = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(startMs) || new Date(startMs).toISOString().slice(0, 10) !== startDate) {
    throw new SimulationOptionsError(`startDate must be a real date as YYYY-MM-DD, got ${JSON.stringify(startDate)}`);
  }
  const f = { ...DEFAULT_FRAUD_SETTINGS, ...(options.fraud ?? {}) };
  const terminalDays = dayRange('compromisedTerminalDays', f.compromisedTerminalDays);
  if (!Number.isInteger(terminalDays.min) || !Number.isInteger(terminalDays.max) || terminalDays.min < 1) {
    throw new SimulationOptionsError('fraud.compromisedTerminalDays must be whole days >= 1');
  }
  const chargeback = dayRange('chargebackDays', f.chargebackDays);
  if (chargeback.min <= 0) throw new SimulationOptionsError('fraud.chargebackDays.min must be > 0 (a chargeback follows the transaction)');
  return {
    seed: options.seed,
    customers: positiveInt('customers', options.customers, 2000, 5_000_000),
    terminals: positiveInt('terminals', options.terminals, 1000, 1_000_000),
    days: positiveInt('days', options.days, 30, 36_500),
    startDate,
    startEpochSeconds: startMs / 1000,
    fraud: {
      amountAnomalyRate: probability('amountAnomalyRate', f.amountAnomalyRate),
      compromisedTerminalRate: probability('compromisedTerminalRate', f.compromisedTerminalRate),
      compromisedTerminalDays: terminalDays,
      compromisedCardRate: probability('compromisedCardRate', f.compromisedCardRate),
      foreignSpikeRate: probability('foreignSpikeRate', f.foreignSpikeRate),
      skimmedCardCashOutRate: probability('skimmedCardCashOutRate', f.skimmedCardCashOutRate),
      chargebackDays: chargeback,
    },
  };
}
