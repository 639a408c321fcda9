import type { Channel } from '@verdict/domain/decision-request';
import { COUNTRIES } from './countries';
import { type Customer, newDeviceId, type Population, randomIp, type Terminal } from './population';
import type { Random } from './prng';
import type { TransactionDraft } from './transaction-draft';

const DAY = 86_400;
/** Per customer and day: chance of leaving on a trip abroad (legitimate foreign transactions). */
const TRIP_RATE = 0.003;
/** Share of genuine purchases that are unusually large (a TV, a flight): overlap with the amount-anomaly scenario. */
const BIG_PURCHASE_RATE = 0.004;

interface Trip {
  readonly untilDay: number;
  readonly shops: readonly number[];
  readonly atms: readonly number[];
}

/** Genuine card use: each customer's daily purchases at their usual places, times and amounts. */
export class CustomerBehaviour {
  private readonly trips = new Map<number, Trip>();

  constructor(private readonly population: Population, private readonly startEpochSeconds: number) {}

  /** Appends one customer's genuine transactions for `day` to `out`. */
  day(customer: Customer, day: number, rng: Random, out: TransactionDraft[]): void {
    const trip = this.currentTrip(customer, day, rng);
    const count = rng.poisson(trip ? customer.txPerDay * 1.3 : customer.txPerDay);
    const dayStart = this.startEpochSeconds + day * DAY;
    for (let i = 0; i < count; i++) {
      const hour = (((rng.normal(customer.hourMean, customer.hourStd) % 24) + 24) % 24);
      const draft = this.purchase(customer, dayStart + Math.floor(hour * 3600), trip, rng);
      if (draft) out.push(draft);
    }
  }

  private currentTrip(customer: Customer, day: number, rng: Random): Trip | null {
    const trip = this.trips.get(customer.index);
    if (trip && trip.untilDay >= day) return trip;
    if (trip) this.trips.delete(customer.index);
    if (!rng.chance(TRIP_RATE)) return null;
    const { posByCountry, atmByCountry } = this.population;
    const destinations = COUNTRIES.map((_, i) => i).filter((i) => i !== customer.country && posByCountry[i]!.length > 0);
    if (destinations.length === 0) return null;
    const country = destinations[rng.weightedIndex(destinations.map((i) => COUNTRIES[i]!.terminalWeight))]!;
    const next: Trip = {
      untilDay: day + rng.int(2, 10) - 1,
      shops: rng.sample(posByCountry[country]!, 8),
      atms: rng.sample(atmByCountry[country]!, 2),
    };
    this.trips.set(customer.index, next);
    return next;
  }

  private purchase(customer: Customer, time: number, trip: Trip | null, rng: Random): TransactionDraft | null {
    const { terminals } = this.population;
    const shops = trip ? trip.shops : customer.nearbyPos;
    const atms = trip && trip.atms.length > 0 ? trip.atms : customer.nearbyAtm;
    const pools = [shops, customer.onlineMerchants, atms];
    const weights = customer.channelWeights.map((w, k) => (pools[k]!.length > 0 ? w : 0));
    if (weights.every((w) => w === 0)) return null;
    const kind = rng.weightedIndex(weights);
    const terminal = terminals[rng.pick(pools[kind]!)]!;
    if (kind === 2) {
      const perUsd = COUNTRIES[terminal.country]!.perUsd;
      const cash = Math.max(20, Math.round(rng.normal(customer.meanAmount * 2, customer.meanAmount) / 20) * 20);
      return this.draft(time, customer, terminal, 'atm', cash / perUsd);
    }
    let amountUsd = rng.normal(customer.meanAmount, customer.stdAmount);
    // As in the fraud-detection handbook: a negative draw is replaced by a uniform one.
    if (amountUsd < 0) amountUsd = rng.uniform(0, customer.meanAmount * 2);
    amountUsd = Math.max(0.5, amountUsd * terminal.category.ticket);
    if (rng.chance(BIG_PURCHASE_RATE)) amountUsd *= rng.uniform(3, 8);
    if (kind === 0) return this.draft(time, customer, terminal, 'pos', amountUsd);
    if (rng.chance(terminal.category.motoShare)) return this.draft(time, customer, terminal, 'moto', amountUsd);
    // New phones and laptops happen: a fresh device is not proof of fraud.
    let deviceId: string;
    if (rng.chance(0.01)) customer.devices.push((deviceId = newDeviceId(rng)));
    else deviceId = rng.pick(customer.devices);
    const ip = rng.chance(0.9) ? rng.pick(customer.ips) : randomIp(rng, COUNTRIES[customer.country]!.ipOctet);
    return this.draft(time, customer, terminal, 'ecom', amountUsd, { deviceId, ip });
  }

  private draft(
    time: number, customer: Customer, terminal: Terminal, channel: Channel, amountUsd: number, device?: { deviceId: string; ip: string },
  ): TransactionDraft {
    return { time, customer, terminal, channel, amountUsd, ...device, scenario: null, chargebackAt: null };
  }
}
