import { randomFillSync } from 'node:crypto';

/**
 * Random bytes in slices of one size, from a buffer the CSPRNG fills many slices at a time: randomBytes(12) cost ~5 µs
 * a call on Node 24, a slice of the pool ~0.2 µs. Each slice is handed out once, so each is still fresh random bits.
 * Each thread has its own module, hence its own pools.
 */
export class RandomPool {
  private readonly pool: Buffer;
  private offset: number;

  constructor(
    private readonly sliceBytes: number,
    slices: number,
  ) {
    this.pool = Buffer.alloc(sliceBytes * slices);
    this.offset = this.pool.length;
  }

  /** The next slice: a view of the pool, to be used before as many slices again have been taken (it is refilled then). */
  next(): Buffer {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const slice = this.pool.subarray(this.offset, this.offset + this.sliceBytes);
    this.offset += this.sliceBytes;
    return slice;
  }
}
