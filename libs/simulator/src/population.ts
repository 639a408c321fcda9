import { COUNTRIES } from './countries';
import { MERCHANT_CATEGORIES, type MerchantCategory, type TerminalKind } from './merchant-categories';
import { Random } from './prng';

export interface Terminal {
  readonly index: number;
  readonly id: string;
  readonly country: number;
  readonly x: number;
  readonly y: number;
  readonly kind: TerminalKind;
  readonly category: MerchantCategory;
}

export interface Customer {
  readonly index: number;
  readonly id: string;
  readonly cardId: string;
  readonly country: number;
  readonly x: number;
  readonly y: number;
  readonly meanAmount: number;
  readonly stdAmount: number;
  readonly txPerDay: number;
  /** Relative preference for [in-person purchase, online purchase, ATM withdrawal]. */
  readonly channelWeights: readonly [number, number, number];
  /** Usual hour of day (UTC) of the customer's purchases, and how much it varies. */
  readonly hourMean: number;
  readonly hourStd: number;
  readonly nearbyPos: readonly number[];
  readonly nearbyAtm: readonly number[];
  readonly onlineMerchants: readonly number[];
  /** Known devices; grows when the customer starts using a new phone or laptop. */
  readonly devices: string[];
  readonly ips: readonly string[];
}

export interface Population {
  readonly customers: readonly Customer[];
  readonly terminals: readonly Terminal[];
  /** Terminal indices per country, by kind. */
  readonly posByCountry: readonly (readonly number[])[];
  readonly atmByCountry: readonly (readonly number[])[];
  readonly onlineSafe: readonly number[];
  readonly onlineHighRisk: readonly number[];
}

/** Radius around home within which a customer shops in person (map units; the map is 1000×1000). */
const SHOPPING_RADIUS = 20;
const TERMINAL_KIND_WEIGHTS: Record<TerminalKind, number> = { pos: 0.72, atm: 0.06, online: 0.22 };
const KINDS: readonly TerminalKind[] = ['pos', 'atm', 'online'];
const clampMap = (v: number): number => Math.min(999.999, Math.max(0, v));

export function randomIp(rng: Random, firstOctet: number): string {
  return `${firstOctet}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export const newDeviceId = (rng: Random): string => `dev-${rng.hex(16)}`;

function buildTerminals(rng: Random, count: number): Terminal[] {
  const countryWeights = COUNTRIES.map((c) => c.terminalWeight);
  const kindWeights = KINDS.map((k) => TERMINAL_KIND_WEIGHTS[k]);
  const categoriesByKind = new Map<TerminalKind, MerchantCategory[]>(KINDS.map((k) => [k, MERCHANT_CATEGORIES.filter((c) => c.kind === k)]));
  const terminals: Terminal[] = [];
  for (let i = 0; i < count; i++) {
    const country = rng.weightedIndex(countryWeights);
    const c = COUNTRIES[country]!;
    const kind = KINDS[rng.weightedIndex(kindWeights)]!;
    const categories = categoriesByKind.get(kind)!;
    const category = categories[rng.weightedIndex(categories.map((m) => m.weight))]!;
    terminals.push({
      index: i,
      id: `term-${i}`,
      country,
      x: clampMap(rng.normal(c.x, c.spread)),
      y: clampMap(rng.normal(c.y, c.spread)),
      kind,
      category,
    });
  }
  return terminals;
}

/** Bucket grid over the map, so finding terminals near each customer does not scan every terminal. */
class SpatialGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(private readonly terminals: readonly Terminal[], private readonly cellSize: number) {
    for (const t of terminals) {
      const key = this.key(Math.floor(t.x / cellSize), Math.floor(t.y / cellSize));
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = []));
      cell.push(t.index);
    }
  }
  private key(cx: number, cy: number): number {
    return cx * 100_000 + cy;
  }
  within(x: number, y: number, radius: number, kind: TerminalKind): number[] {
    const out: number[] = [];
    const r2 = radius * radius;
    const minX = Math.floor((x - radius) / this.cellSize), maxX = Math.floor((x + radius) / this.cellSize);
    const minY = Math.floor((y - radius) / this.cellSize), maxY = Math.floor((y + radius) / this.cellSize);
    for (let cx = minX; cx <= maxX; cx++) {
      for (let cy = minY; cy <= maxY; cy++) {
        for (const i of this.cells.get(this.key(cx, cy)) ?? []) {
          const t = this.terminals[i]!;
          if (t.kind === kind && (t.x - x) ** 2 + (t.y - y) ** 2 <= r2) out.push(i);
        }
      }
    }
    return out.sort((a, b) => a - b);
  }
}

function nearest(terminals: readonly Terminal[], candidates: readonly number[], x: number, y: number, k: number): number[] {
  return candidates
    .map((i) => ({ i, d: (terminals[i]!.x - x) ** 2 + (terminals[i]!.y - y) ** 2 }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, k)
    .map((e) => e.i);
}

export function buildPopulation(seed: number, customerCount: number, terminalCount: number): Population {
  const rng = Random.forStream(seed, 'population');
  const terminals = buildTerminals(rng, terminalCount);
  const posByCountry: number[][] = COUNTRIES.map(() => []);
  const atmByCountry: number[][] = COUNTRIES.map(() => []);
  const onlineByCountry: number[][] = COUNTRIES.map(() => []);
  const allPos: number[] = [];
  const allAtm: number[] = [];
  const onlineSafe: number[] = [];
  const onlineHighRisk: number[] = [];
  for (const t of terminals) {
    if (t.kind === 'pos') (posByCountry[t.country]!.push(t.index), allPos.push(t.index));
    else if (t.kind === 'atm') (atmByCountry[t.country]!.push(t.index), allAtm.push(t.index));
    else if (t.category.highRisk) onlineHighRisk.push(t.index);
    else (onlineByCountry[t.country]!.push(t.index), onlineSafe.push(t.index));
  }
  const grid = new SpatialGrid(terminals, SHOPPING_RADIUS);
  const countryWeights = COUNTRIES.map((c) => c.customerWeight);
  const customers: Customer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const country = rng.weightedIndex(countryWeights);
    const c = COUNTRIES[country]!;
    const x = clampMap(rng.normal(c.x, c.spread));
    const y = clampMap(rng.normal(c.y, c.spread));
    // Borders matter: most people rarely shop across one even when it is near, so keep few foreign shops.
    const local = (i: number): boolean => terminals[i]!.country === country || rng.chance(0.1);
    let nearbyPos = grid.within(x, y, SHOPPING_RADIUS, 'pos').filter(local);
    // Sparse areas: fall back to the closest shops at home (or anywhere), so everyone can shop in person.
    if (nearbyPos.length < 3) nearbyPos = nearest(terminals, posByCountry[country]!.length >= 3 ? posByCountry[country]! : allPos, x, y, 5);
    let nearbyAtm = grid.within(x, y, SHOPPING_RADIUS * 1.5, 'atm').filter(local);
    if (nearbyAtm.length === 0) nearbyAtm = nearest(terminals, atmByCountry[country]!.length > 0 ? atmByCountry[country]! : allAtm, x, y, 2);
    const homeOnline = onlineByCountry[country]!;
    const onlineMerchants = new Set<number>();
    const onlineCount = rng.int(3, 10);
    for (let k = 0; k < onlineCount && onlineSafe.length > 0; k++) {
      onlineMerchants.add(homeOnline.length > 0 && rng.chance(0.9) ? rng.pick(homeOnline) : rng.pick(onlineSafe));
    }
    // A minority of genuine customers gamble, buy crypto or send money abroad: high-risk MCCs are not fraud per se.
    if (onlineHighRisk.length > 0 && rng.chance(0.12)) for (const t of rng.sample(onlineHighRisk, rng.int(1, 2))) onlineMerchants.add(t);
    const meanAmount = rng.uniform(5, 100);
    const deviceCount = rng.int(1, 3);
    const devices: string[] = [];
    for (let k = 0; k < deviceCount; k++) devices.push(newDeviceId(rng));
    const ips: string[] = [];
    for (let k = rng.int(1, 2); k > 0; k--) ips.push(randomIp(rng, c.ipOctet));
    customers.push({
      index: i,
      id: `cust-${i}`,
      cardId: `card-${i}`,
      country,
      x,
      y,
      meanAmount,
      stdAmount: meanAmount / 2,
      txPerDay: rng.uniform(0, 4),
      channelWeights: [rng.uniform(0.45, 0.85), rng.uniform(0.1, 0.45), rng.uniform(0.02, 0.08)],
      hourMean: Math.min(20, Math.max(8, rng.normal(13.5, 2.5))),
      hourStd: rng.uniform(2.5, 4.5),
      nearbyPos,
      nearbyAtm,
      onlineMerchants: [...onlineMerchants].sort((a, b) => a - b),
      devices,
      ips,
    });
  }
  return { customers, terminals, posByCountry, atmByCountry, onlineSafe, onlineHighRisk };
}
