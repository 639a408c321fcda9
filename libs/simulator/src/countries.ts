/**
 * The simulated world: countries placed on a 1000×1000 map. Customers and terminals cluster around their country's
 * centre, so "within a radius of home" mostly means "at home", while travel and cross-border shopping cross borders.
 * Currencies are restricted to ones near parity with USD so that amounts stay comparable across countries (a model
 * trained on the raw amount would otherwise mostly learn the exchange rate).
 */
export interface Country {
  readonly code: string;
  readonly currency: string;
  /** Units of local currency per USD (fixed; the simulation has no FX market). */
  readonly perUsd: number;
  /** Relative share of the card base living there. */
  readonly customerWeight: number;
  /** Relative share of merchants/terminals located there. */
  readonly terminalWeight: number;
  readonly x: number;
  readonly y: number;
  /** Standard deviation of the positions around the centre. */
  readonly spread: number;
  /** Made-up first octet for IPv4 addresses "from" that country. */
  readonly ipOctet: number;
  /** Where stolen card data tends to be cashed out: picked more often by the foreign-country fraud scenarios. */
  readonly fraudHotspot: boolean;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', currency: 'USD', perUsd: 1, customerWeight: 28, terminalWeight: 26, x: 200, y: 400, spread: 45, ipOctet: 23, fraudHotspot: false },
  { code: 'CA', currency: 'CAD', perUsd: 1.36, customerWeight: 6, terminalWeight: 5, x: 230, y: 250, spread: 35, ipOctet: 24, fraudHotspot: false },
  { code: 'GB', currency: 'GBP', perUsd: 0.79, customerWeight: 12, terminalWeight: 12, x: 470, y: 290, spread: 22, ipOctet: 51, fraudHotspot: false },
  { code: 'IE', currency: 'EUR', perUsd: 0.92, customerWeight: 3, terminalWeight: 3, x: 430, y: 290, spread: 12, ipOctet: 52, fraudHotspot: false },
  { code: 'FR', currency: 'EUR', perUsd: 0.92, customerWeight: 9, terminalWeight: 9, x: 500, y: 380, spread: 25, ipOctet: 62, fraudHotspot: false },
  { code: 'DE', currency: 'EUR', perUsd: 0.92, customerWeight: 10, terminalWeight: 10, x: 560, y: 320, spread: 25, ipOctet: 78, fraudHotspot: false },
  { code: 'NL', currency: 'EUR', perUsd: 0.92, customerWeight: 4, terminalWeight: 4, x: 530, y: 290, spread: 12, ipOctet: 81, fraudHotspot: false },
  { code: 'BE', currency: 'EUR', perUsd: 0.92, customerWeight: 2, terminalWeight: 2, x: 515, y: 330, spread: 10, ipOctet: 84, fraudHotspot: false },
  { code: 'ES', currency: 'EUR', perUsd: 0.92, customerWeight: 6, terminalWeight: 7, x: 460, y: 450, spread: 25, ipOctet: 88, fraudHotspot: false },
  { code: 'IT', currency: 'EUR', perUsd: 0.92, customerWeight: 6, terminalWeight: 6, x: 580, y: 430, spread: 22, ipOctet: 93, fraudHotspot: false },
  { code: 'CH', currency: 'CHF', perUsd: 0.88, customerWeight: 2, terminalWeight: 2, x: 545, y: 370, spread: 10, ipOctet: 95, fraudHotspot: false },
  { code: 'AT', currency: 'EUR', perUsd: 0.92, customerWeight: 2, terminalWeight: 2, x: 600, y: 360, spread: 12, ipOctet: 96, fraudHotspot: false },
  { code: 'AU', currency: 'AUD', perUsd: 1.52, customerWeight: 5, terminalWeight: 5, x: 850, y: 760, spread: 40, ipOctet: 101, fraudHotspot: false },
  { code: 'NZ', currency: 'NZD', perUsd: 1.65, customerWeight: 2, terminalWeight: 2, x: 930, y: 830, spread: 15, ipOctet: 103, fraudHotspot: false },
  { code: 'SG', currency: 'SGD', perUsd: 1.35, customerWeight: 2, terminalWeight: 2, x: 780, y: 570, spread: 6, ipOctet: 116, fraudHotspot: false },
  { code: 'GR', currency: 'EUR', perUsd: 0.92, customerWeight: 1, terminalWeight: 1.5, x: 650, y: 460, spread: 15, ipOctet: 176, fraudHotspot: true },
  { code: 'CY', currency: 'EUR', perUsd: 0.92, customerWeight: 0.3, terminalWeight: 0.8, x: 700, y: 480, spread: 6, ipOctet: 178, fraudHotspot: true },
  { code: 'MT', currency: 'EUR', perUsd: 0.92, customerWeight: 0.2, terminalWeight: 0.8, x: 590, y: 480, spread: 4, ipOctet: 181, fraudHotspot: true },
  { code: 'LT', currency: 'EUR', perUsd: 0.92, customerWeight: 0.5, terminalWeight: 1, x: 640, y: 250, spread: 10, ipOctet: 185, fraudHotspot: true },
  { code: 'LV', currency: 'EUR', perUsd: 0.92, customerWeight: 0.4, terminalWeight: 0.8, x: 645, y: 225, spread: 8, ipOctet: 188, fraudHotspot: true },
  { code: 'EE', currency: 'EUR', perUsd: 0.92, customerWeight: 0.3, terminalWeight: 0.8, x: 650, y: 200, spread: 8, ipOctet: 193, fraudHotspot: true },
  { code: 'HR', currency: 'EUR', perUsd: 0.92, customerWeight: 0.5, terminalWeight: 1, x: 615, y: 395, spread: 10, ipOctet: 195, fraudHotspot: true },
];

/** Minor-unit rounding for the currencies above (all have two decimals). */
export const roundToCents = (amount: number): number => Math.round(amount * 100) / 100;
