import { createHash } from 'node:crypto';
import { decisionRequestSchema } from '@verdict/domain/decision-request';
import { FRAUD_SCENARIOS, type LabeledTransaction, simulateTransactions, type SimulationOptions } from '@verdict/simulator';

const take = (options: SimulationOptions, limit: number): LabeledTransaction[] => {
  const out: LabeledTransaction[] = [];
  for (const tx of simulateTransactions(options)) {
    out.push(tx);
    if (out.length === limit) break;
  }
  return out;
};

const hashOf = (txs: readonly LabeledTransaction[]): string => {
  const h = createHash('sha256');
  for (const tx of txs) h.update(JSON.stringify(tx) + '\n');
  return h.digest('hex');
};

describe('simulateTransactions', () => {
  // About 40k transactions: enough for every scenario to show up with the default rates.
  const options: SimulationOptions = { seed: 42, customers: 2000, terminals: 1000, days: 10 };
  let all: LabeledTransaction[];
  beforeAll(() => {
    all = [...simulateTransactions(options)];
  });

  it('is reproducible: the same seed and options give byte-identical output', () => {
    const first = hashOf(take(options, 20_000));
    expect(hashOf(take({ ...options }, 20_000))).toBe(first);
    expect(hashOf(all.slice(0, 20_000))).toBe(first);
  });

  it('changes with the seed', () => {
    const a = take(options, 20_000);
    const b = take({ ...options, seed: 43 }, 20_000);
    expect(hashOf(b)).not.toBe(hashOf(a));
    expect(b[0]!.request.transactionId).toBe('sim-43-0');
  });

  it('emits only requests that pass the decision request schema', () => {
    const failures = all.map((t) => decisionRequestSchema.safeParse(t.request)).filter((r) => !r.success);
    expect(failures.slice(0, 3)).toEqual([]);
  });

  it('numbers transactions uniquely and emits them in occurredAt order', () => {
    expect(new Set(all.map((t) => t.request.transactionId)).size).toBe(all.length);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.request.occurredAt >= all[i - 1]!.request.occurredAt).toBe(true);
    }
    expect(all[0]!.request.occurredAt.startsWith('2026-01-01T')).toBe(true);
    expect(all.at(-1)!.request.occurredAt.startsWith('2026-01-10T')).toBe(true);
  });

  it('has a realistic fraud rate and produces every scenario', () => {
    const fraud = all.filter((t) => t.label.isFraud);
    const rate = fraud.length / all.length;
    expect(rate).toBeGreaterThan(0.005);
    expect(rate).toBeLessThan(0.04);
    const scenarios = new Set(fraud.map((t) => t.label.scenario));
    expect([...scenarios].sort()).toEqual([...FRAUD_SCENARIOS].sort());
  });

  it('labels chargebacks after the transaction for fraud and none for genuine transactions', () => {
    for (const { request, label } of all) {
      if (label.isFraud) {
        expect(label.scenario).not.toBeNull();
        const delayDays = (Date.parse(label.chargebackAt!) - Date.parse(request.occurredAt)) / 86_400_000;
        expect(delayDays).toBeGreaterThanOrEqual(3 - 1e-6);
        expect(delayDays).toBeLessThanOrEqual(60 + 1e-6);
      } else {
        expect(label).toEqual({ isFraud: false, scenario: null, chargebackAt: null });
      }
    }
  });

  it('gives each scenario its signature', () => {
    const of = (s: string) => all.filter((t) => t.label.scenario === s).map((t) => t.request);
    // Compromised cards are spent card-not-present.
    expect(of('compromised-card').every((r) => r.channel === 'ecom' || r.channel === 'moto')).toBe(true);
    // Cloned cards are spent in person abroad.
    expect(of('foreign-spike').every((r) => r.country !== r.attributes!['cardCountry'] && (r.channel === 'pos' || r.channel === 'atm'))).toBe(true);
    // Compromised terminals: all of a few terminals' traffic, not one-off merchants.
    const terminals = new Set(of('compromised-terminal').map((r) => r.merchantId));
    expect(terminals.size).toBeLessThan(of('compromised-terminal').length);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const legitMedian = median(all.filter((t) => !t.label.isFraud).map((t) => t.request.amount));
    expect(median(of('amount-anomaly').map((r) => r.amount))).toBeGreaterThan(5 * legitMedian);
  });

  it('keeps genuine traffic realistic: mostly domestic, some foreign, card country always present', () => {
    const legit = all.filter((t) => !t.label.isFraud).map((t) => t.request);
    const foreign = legit.filter((r) => r.country !== r.attributes!['cardCountry']).length / legit.length;
    expect(foreign).toBeGreaterThan(0.01);
    expect(foreign).toBeLessThan(0.2);
    const channels = new Set(legit.map((r) => r.channel));
    expect([...channels].sort()).toEqual(['atm', 'ecom', 'moto', 'pos']);
    expect(legit.filter((r) => r.channel === 'ecom').every((r) => r.deviceId && r.ip)).toBe(true);
    expect(legit.filter((r) => r.channel === 'pos').every((r) => r.deviceId === undefined)).toBe(true);
  });

  it('switches a scenario off when its rate is 0', () => {
    const txs = [...simulateTransactions({ ...options, days: 3, fraud: { compromisedCardRate: 0, skimmedCardCashOutRate: 0 } })];
    expect(txs.some((t) => t.label.scenario === 'compromised-card')).toBe(false);
  });

  it('keeps the first days identical when more days are simulated', () => {
    const short = [...simulateTransactions({ ...options, customers: 300, days: 2 })];
    const long = take({ ...options, customers: 300, days: 5 }, short.length);
    expect(hashOf(long)).toBe(hashOf(short));
  });
});
