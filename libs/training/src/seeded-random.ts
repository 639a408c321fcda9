/**
 * Deterministic PRNG for row subsampling and splits: mulberry32 seeded through a splitmix32 mix of the seed, so
 * nearby seeds (1, 2, 3…) give unrelated streams. Math.random cannot be seeded, and training must be reproducible.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Seed must be a safe integer, got ${seed}`);
    let h = (seed | 0) ^ Math.imul(Math.floor(seed / 0x100000000) | 0, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
    h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
    this.state = (h ^ (h >>> 15)) | 0;
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
}
