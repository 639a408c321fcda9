import { DEFAULT_FRAUD_SETTINGS, resolveSimulationOptions, SimulationOptionsError, simulateTransactions } from '@verdict/simulator';

describe('resolveSimulationOptions', () => {
  it('fills in defaults', () => {
    const r = resolveSimulationOptions({ seed: 1 });
    expect(r).toMatchObject({ seed: 1, customers: 2000, terminals: 1000, days: 30, startDate: '2026-01-01' });
    expect(r.startEpochSeconds).toBe(Date.UTC(2026, 0, 1) / 1000);
    expect(r.fraud).toEqual(DEFAULT_FRAUD_SETTINGS);
  });

  it('merges partial fraud settings', () => {
    expect(resolveSimulationOptions({ seed: 1, fraud: { compromisedCardRate: 0.01 } }).fraud).toEqual({
      ...DEFAULT_FRAUD_SETTINGS,
      compromisedCardRate: 0.01,
    });
  });

  it.each([
    [{ seed: 1.5 }],
    [{ seed: 1, customers: 0 }],
    [{ seed: 1, days: -1 }],
    [{ seed: 1, startDate: '2026-02-30' }],
    [{ seed: 1, startDate: '2026-1-1' }],
    [{ seed: 1, fraud: { amountAnomalyRate: 2 } }],
    [{ seed: 1, fraud: { chargebackDays: { min: 10, max: 5 } } }],
    [{ seed: 1, fraud: { chargebackDays: { min: 0, max: 5 } } }],
    [{ seed: 1, fraud: { compromisedTerminalDays: { min: 0, max: 5 } } }],
  ])('rejects %j with a typed error', (options) => {
    expect(() => resolveSimulationOptions(options)).toThrow(SimulationOptionsError);
    try {
      resolveSimulationOptions(options);
    } catch (e) {
      expect((e as SimulationOptionsError).code).toBe('SIMULATOR_INVALID_OPTIONS');
    }
  });

  it('validates when the generator starts, before emitting anything', () => {
    expect(() => simulateTransactions({ seed: 1, terminals: 0 }).next()).toThrow(SimulationOptionsError);
  });

  it('honours startDate', () => {
    const first = simulateTransactions({ seed: 3, customers: 50, terminals: 40, days: 1, startDate: '2025-06-15' }).next();
    expect(first.done).toBe(false);
    expect(first.value!.request.occurredAt.startsWith('2025-06-15T')).toBe(true);
  });

  it('still works with tiny worlds', () => {
    for (const terminals of [1, 2, 3]) {
      const txs = [...simulateTransactions({ seed: terminals, customers: 20, terminals, days: 5 })];
      for (const t of txs) expect(t.request.merchantId).toMatch(/^term-\d+$/);
    }
  });
});
