import { simulateTransactions } from './simulate-transactions';
import { SimulationOptionsError } from './simulation-options';
import { nightShift } from './traffic-shift';

const requests = [...simulateTransactions({ seed: 3, customers: 200, terminals: 100, days: 3 })].map((t) => t.request);
const hour = (iso: string) => new Date(iso).getUTCHours();

describe('night shift', () => {
  it('moves the chosen share into the night of the same day, changing nothing but the hour', () => {
    const shift = nightShift(0.3, 7);
    const shifted = requests.map(shift);
    let moved = 0;
    shifted.forEach((s, i) => {
      const r = requests[i]!;
      if (s === r) return;
      moved++;
      expect(hour(s.occurredAt)).toBeLessThan(6);
      expect(s.occurredAt.slice(0, 10)).toBe(r.occurredAt.slice(0, 10));
      expect(s.occurredAt.slice(13)).toBe(r.occurredAt.slice(13));
      expect({ ...s, occurredAt: r.occurredAt }).toEqual(r);
    });
    expect(moved / requests.length).toBeGreaterThan(0.25);
    expect(moved / requests.length).toBeLessThan(0.35);
  });

  it('is a pure function of its seed, and a share of 0 changes nothing', () => {
    expect(requests.map(nightShift(0.5, 1))).toEqual(requests.map(nightShift(0.5, 1)));
    expect(requests.map(nightShift(0, 1))).toEqual(requests);
    expect(requests.map(nightShift(1, 1)).every((r) => hour(r.occurredAt) < 6)).toBe(true);
  });

  it('refuses a share outside [0, 1]', () => {
    expect(() => nightShift(1.5, 1)).toThrow(SimulationOptionsError);
    expect(() => nightShift(Number.NaN, 1)).toThrow(SimulationOptionsError);
  });
});
