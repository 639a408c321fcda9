/**
 * A seal's entries: one per covered event, so that verification can NAME what changed (a Merkle root alone only says
 * that something did). Binary, then base64 in the event:
 *
 *   entry := varint(position − previous position) varint(len(stream)) stream-utf8 varint(revision) digest[8]
 *
 * The first delta is from the seal's fromPosition; varints are unsigned LEB128; the digest is the first 8 bytes of
 * the event hash. Deltas are ≥ 1 because positions strictly increase.
 */
export interface SealEntry {
  readonly position: bigint;
  readonly streamId: string;
  readonly revision: bigint;
  /** First 8 bytes of the event hash. */
  readonly digest: Buffer;
}

export const ENTRY_DIGEST_BYTES = 8;

export class MalformedSealEntriesError extends Error {
  constructor(message: string) {
    super(`Malformed seal entries: ${message}`);
    this.name = 'MalformedSealEntriesError';
  }
}

/** Writes `value` as unsigned LEB128 at `offset`; returns the offset after it. */
function writeVarint(out: Buffer, offset: number, value: bigint): number {
  // Positions, lengths and revisions fit in a double almost always: number arithmetic is far cheaper than bigint's.
  if (value <= 0xffffffffn) {
    let v = Number(value);
    while (v >= 0x80) {
      out[offset++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    out[offset++] = v;
    return offset;
  }
  let v = value;
  while (v >= 0x80n) {
    out[offset++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[offset++] = Number(v);
  return offset;
}

function varintLength(v: bigint): number {
  if (v < 0x80n) return 1;
  if (v < 0x4000n) return 2;
  let n = 1;
  for (let x = v; x >= 0x80n; x >>= 7n) n++;
  return n;
}

/** Bytes one entry takes (the sealer bounds a seal's size with it before encoding). */
export function entrySize(delta: bigint, streamId: string, revision: bigint): number {
  const streamBytes = Buffer.byteLength(streamId, 'utf8');
  return varintLength(delta) + varintLength(BigInt(streamBytes)) + streamBytes + varintLength(revision) + ENTRY_DIGEST_BYTES;
}

export function encodeSealEntries(fromPosition: bigint, entries: readonly SealEntry[]): Buffer {
  let size = 0;
  let previous = fromPosition;
  for (const e of entries) {
    if (e.position <= previous) throw new RangeError(`entry positions must increase (${e.position} after ${previous})`);
    if (e.digest.length !== ENTRY_DIGEST_BYTES) throw new RangeError(`an entry digest is ${ENTRY_DIGEST_BYTES} bytes`);
    size += entrySize(e.position - previous, e.streamId, e.revision);
    previous = e.position;
  }
  const out = Buffer.allocUnsafe(size);
  let offset = 0;
  previous = fromPosition;
  for (const e of entries) {
    offset = writeVarint(out, offset, e.position - previous);
    const streamBytes = Buffer.byteLength(e.streamId, 'utf8');
    offset = writeVarint(out, offset, BigInt(streamBytes));
    offset += out.write(e.streamId, offset, 'utf8');
    offset = writeVarint(out, offset, e.revision);
    offset += e.digest.copy(out, offset);
    previous = e.position;
  }
  return out;
}

export function decodeSealEntries(fromPosition: bigint, bytes: Buffer): SealEntry[] {
  const entries: SealEntry[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      if (offset >= bytes.length) throw new MalformedSealEntriesError(`truncated varint at byte ${offset}`);
      const b = bytes[offset++];
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value;
      shift += 7n;
      if (shift > 63n) throw new MalformedSealEntriesError(`varint over 64 bits at byte ${offset}`);
    }
  };
  let position = fromPosition;
  while (offset < bytes.length) {
    const delta = varint();
    if (delta < 1n) throw new MalformedSealEntriesError(`position delta 0 at byte ${offset}`);
    position += delta;
    const length = Number(varint());
    if (offset + length > bytes.length) throw new MalformedSealEntriesError(`stream name overruns at byte ${offset}`);
    const streamId = bytes.toString('utf8', offset, offset + length);
    offset += length;
    const revision = varint();
    if (offset + ENTRY_DIGEST_BYTES > bytes.length) throw new MalformedSealEntriesError(`truncated digest at byte ${offset}`);
    const digest = Buffer.from(bytes.subarray(offset, offset + ENTRY_DIGEST_BYTES));
    offset += ENTRY_DIGEST_BYTES;
    entries.push({ position, streamId, revision, digest });
  }
  return entries;
}
