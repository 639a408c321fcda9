import type { Dataset } from '../dataset';
import { SeededRandom } from '../seeded-random';

/**
 * A seeded synthetic binary-classification set with a known non-linear signal (an interaction, a threshold, a
 * heavy-tailed amount and a few discrete columns), for exercising the trainer without the simulator.
 */
export function syntheticDataset(rows: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const featureNames = ['amount', 'hour', 'flag_a', 'flag_b', 'noise', 'category'];
  const F = featureNames.length;
  const values = new Float32Array(rows * F);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const amount = Math.round(Math.exp(3 + 1.5 * gaussian(rng)) * 100) / 100;
    const hour = Math.floor(rng.next() * 24);
    const flagA = rng.next() < 0.3 ? 1 : 0;
    const flagB = rng.next() < 0.5 ? 1 : 0;
    const noise = rng.next();
    const category = Math.floor(rng.next() * 12);
    const logit = -4 + 1.2 * Math.log1p(amount) * 0.5 + (hour < 6 ? 1.5 : 0) + (flagA && flagB ? 2 : 0) + (category === 7 ? 1.5 : 0);
    labels[i] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    values.set([amount, hour, flagA, flagB, noise, category], i * F);
  }
  return { featureNames, rows, values, labels };
}

function gaussian(rng: SeededRandom): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
