import type { Channel } from '@verdict/domain/decision-request';
import { COUNTRIES } from './countries';
import { type Customer, newDeviceId, type Population, randomIp, type Terminal } from './population';
import type { Random } from './prng';
import type { FraudScenario, ResolvedSimulationOptions } from './simulation-options';
import type { TransactionDraft } from './transaction-draft';

const DAY = 86_400;
const HOTSPOTS = COUNTRIES.map((c, i) => (c.fraudHotspot ? i : -1)).filter((i) => i >= 0);

/**
 * Injects the named fraud scenarios. Bursts that span several days are parked in `pending` under the day they
 * happen; the simulator drains that day's list when it gets there.
 */
export class FraudInjector {
  private readonly compromisedFrom: Float64Array;
  private readonly compromisedUntil: Float64Array;
  /** Day index until which a card already has a cash-out scheduled (one at a time per card). */
  private readonly cashOutUntilDay: Int32Array;
  private readonly pending = new Map<number, TransactionDraft[]>();

  constructor(private readonly options: ResolvedSimulationOptions, private readonly population: Population) {
    this.compromisedFrom = new Float64Array(population.terminals.length).fill(-1);
    this.compromisedUntil = new Float64Array(population.terminals.length).fill(-1);
    this.cashOutUntilDay = new Int32Array(population.customers.length).fill(-1);
  }

  /** Fraud happening on `day`: drafts planned on earlier days plus today's new incidents. */
  planDay(day: number, rng: Random): TransactionDraft[] {
    const f = this.options.fraud;
    const dayStart = this.options.startEpochSeconds + day * DAY;
    const { customers, terminals } = this.population;
    for (let n = rng.poisson(terminals.length * f.compromisedTerminalRate); n > 0; n--) {
      const t = rng.int(0, terminals.length - 1);
      if (this.compromisedUntil[t]! > dayStart) continue; // already compromised
      const from = dayStart + rng.int(0, DAY - 1);
      this.compromisedFrom[t] = from;
      this.compromisedUntil[t] = from + rng.int(f.compromisedTerminalDays.min, f.compromisedTerminalDays.max) * DAY;
    }
    for (let n = rng.poisson(customers.length * f.compromisedCardRate); n > 0; n--) {
      this.scheduleCompromisedCard(rng.pick(customers), day, rng);
    }
    for (let n = rng.poisson(customers.length * f.foreignSpikeRate); n > 0; n--) {
      this.scheduleForeignSpike(rng.pick(customers), day, rng);
    }
    for (let n = rng.poisson(customers.length * f.amountAnomalyRate); n > 0; n--) {
      const draft = this.amountAnomaly(rng.pick(customers), dayStart, rng);
      if (draft) this.park(day, draft);
    }
    const today = this.pending.get(day) ?? [];
    this.pending.delete(day);
    return today;
  }

  /** Compromised terminal: every transaction there during the window is fraud; some cards get cashed out later. */
  inspect(draft: TransactionDraft, day: number, rng: Random): void {
    const t = draft.terminal.index;
    if (draft.time < this.compromisedFrom[t]! || draft.time >= this.compromisedUntil[t]!) return;
    draft.scenario = 'compromised-terminal';
    draft.chargebackAt = this.chargebackAt(draft.time, rng);
    if (!rng.chance(this.options.fraud.skimmedCardCashOutRate)) return;
    const later = day + rng.int(2, 20);
    // Skimmed track data makes a clone for use abroad; stolen card numbers are spent online.
    if (draft.terminal.kind !== 'online' && rng.chance(0.6)) this.scheduleForeignSpike(draft.customer, later, rng);
    else this.scheduleCompromisedCard(draft.customer, later, rng);
  }

  private chargebackAt(time: number, rng: Random): number {
    const { min, max } = this.options.fraud.chargebackDays;
    return time + Math.max(1, Math.round(rng.uniform(min, max) * DAY));
  }

  private park(day: number, draft: TransactionDraft): void {
    if (day >= this.options.days) return;
    let list = this.pending.get(day);
    if (!list) this.pending.set(day, (list = []));
    list.push(draft);
  }

  private claimCard(customer: Customer, firstDay: number, spanDays: number): boolean {
    if (this.cashOutUntilDay[customer.index]! >= firstDay) return false;
    this.cashOutUntilDay[customer.index] = firstDay + spanDays - 1;
    return true;
  }

  private draft(
    scenario: FraudScenario, time: number, customer: Customer, terminal: Terminal, channel: Channel, amountUsd: number, rng: Random,
    device?: { deviceId: string; ip: string },
  ): TransactionDraft {
    return { time, customer, terminal, channel, amountUsd, ...device, scenario, chargebackAt: this.chargebackAt(time, rng) };
  }

  /** Card details stolen: a burst of card-not-present spending, often at night and at high-risk merchants. */
  private scheduleCompromisedCard(customer: Customer, firstDay: number, rng: Random): void {
    const { terminals, onlineSafe, onlineHighRisk } = this.population;
    if (onlineSafe.length + onlineHighRisk.length === 0) return;
    const count = rng.int(3, 12);
    const span = rng.int(1, 3);
    if (!this.claimCard(customer, firstDay, span)) return;
    const hotspot = COUNTRIES[rng.pick(HOTSPOTS)]!;
    const deviceId = newDeviceId(rng);
    const ip = randomIp(rng, rng.chance(0.7) ? hotspot.ipOctet : rng.pick(COUNTRIES).ipOctet);
    for (let i = 0; i < count; i++) {
      const day = firstDay + rng.int(0, span - 1);
      const hour = rng.chance(0.55) ? rng.uniform(0, 6) : rng.uniform(0, 24);
      const time = this.options.startEpochSeconds + day * DAY + Math.floor(hour * 3600);
      const useHighRisk = onlineHighRisk.length > 0 && (onlineSafe.length === 0 || rng.chance(0.55));
      const terminal = terminals[rng.pick(useHighRisk ? onlineHighRisk : onlineSafe)]!;
      const channel: Channel = rng.chance(terminal.category.motoShare) ? 'moto' : 'ecom';
      // Fraudsters often test a card with a tiny amount before spending it.
      const amountUsd = i === 0 && rng.chance(0.3)
        ? rng.uniform(0.5, 3)
        : Math.max(15, customer.meanAmount * rng.uniform(1.5, 6)) * Math.sqrt(terminal.category.ticket);
      const device = channel === 'ecom' ? { deviceId: rng.chance(0.8) ? deviceId : newDeviceId(rng), ip } : undefined;
      this.park(day, this.draft('compromised-card', time, customer, terminal, channel, amountUsd, rng, device));
    }
  }

  /** Card cloned: in-person spending and cash withdrawals in another country while the owner is at home. */
  private scheduleForeignSpike(customer: Customer, firstDay: number, rng: Random): void {
    const { terminals, posByCountry, atmByCountry } = this.population;
    const candidates = COUNTRIES.map((_, i) => i).filter((i) => i !== customer.country && posByCountry[i]!.length > 0);
    if (candidates.length === 0) return;
    const hot = candidates.filter((i) => COUNTRIES[i]!.fraudHotspot);
    const country = hot.length > 0 && rng.chance(0.7)
      ? rng.pick(hot)
      : candidates[rng.weightedIndex(candidates.map((i) => COUNTRIES[i]!.terminalWeight))]!;
    const count = rng.int(2, 8);
    const span = rng.int(1, 2);
    if (!this.claimCard(customer, firstDay, span)) return;
    const shops = rng.sample(posByCountry[country]!, rng.int(1, 4)).map((i) => terminals[i]!);
    const atms = rng.sample(atmByCountry[country]!, 2).map((i) => terminals[i]!);
    const perUsd = COUNTRIES[country]!.perUsd;
    for (let i = 0; i < count; i++) {
      const day = firstDay + rng.int(0, span - 1);
      const hour = rng.chance(0.35) ? rng.uniform(0, 6) : rng.uniform(0, 24);
      const time = this.options.startEpochSeconds + day * DAY + Math.floor(hour * 3600);
      if (atms.length > 0 && rng.chance(0.45)) {
        const cash = 20 * rng.int(5, 25);
        this.park(day, this.draft('foreign-spike', time, customer, rng.pick(atms), 'atm', cash / perUsd, rng));
      } else {
        const shop = rng.pick(shops);
        const amountUsd = rng.uniform(60, 600) * Math.sqrt(shop.category.ticket);
        this.park(day, this.draft('foreign-spike', time, customer, shop, 'pos', amountUsd, rng));
      }
    }
  }

  /** Stolen card used near home for one unusually large purchase, ideally of easily resold goods. */
  private amountAnomaly(customer: Customer, dayStart: number, rng: Random): TransactionDraft | null {
    const { terminals } = this.population;
    const online = customer.onlineMerchants.length > 0 && rng.chance(0.5);
    const pool = online ? customer.onlineMerchants : customer.nearbyPos;
    if (pool.length === 0) return null;
    const resellable = pool.filter((i) => terminals[i]!.category.resellable);
    const terminal = terminals[rng.pick(resellable.length > 0 && rng.chance(0.7) ? resellable : pool)]!;
    const hour = (((rng.normal(customer.hourMean, customer.hourStd) % 24) + 24) % 24);
    const time = dayStart + Math.floor(hour * 3600);
    const amountUsd = Math.max(customer.meanAmount * rng.uniform(5, 15), rng.uniform(300, 1500));
    if (!online) return this.draft('amount-anomaly', time, customer, terminal, 'pos', amountUsd, rng);
    const channel: Channel = rng.chance(terminal.category.motoShare) ? 'moto' : 'ecom';
    // Account takeover reuses the victim's device half the time; otherwise the fraudster's own.
    const device = channel === 'ecom'
      ? { deviceId: rng.chance(0.5) ? rng.pick(customer.devices) : newDeviceId(rng), ip: randomIp(rng, rng.pick(COUNTRIES).ipOctet) }
      : undefined;
    return this.draft('amount-anomaly', time, customer, terminal, channel, amountUsd, rng, device);
  }
}
