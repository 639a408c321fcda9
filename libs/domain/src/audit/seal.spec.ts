import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '../canonical-json';
import type { SealHeader } from './audit-events';
import { sealHeaderOf } from './audit-events';
import { buildEventProof, verifyEventProof } from './decision-proof';
import { eventHash, type HashableEvent } from './event-hash';
import { buildSeal, type SealSigner } from './seal-builder';
import { checkSealLink } from './seal-chain-check';
import { decodeSealEntries, encodeSealEntries, entrySize } from './seal-entries';
import { parseSealEvent } from './seal-event';
import { keyIdOf } from './seal-signature';
import { checkSealedRange, type HashedEvent } from './sealed-range-check';

function signer(): SealSigner & { publicKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

const event = (position: number, data: Record<string, unknown> = { n: position }): HashableEvent => ({
  id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type: 'DecisionMade',
  streamId: `decision-tx-${position}`,
  revision: 0n,
  position: BigInt(position),
  data,
  metadata: { correlationId: `c-${position}` },
});
const hashed = (e: HashableEvent): HashedEvent => ({ position: e.position, streamId: e.streamId, revision: e.revision, hash: eventHash(e) });

describe('canonical JSON', () => {
  /** The original map/join form, kept as the reference the faster one must match byte for byte. */
  const reference = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
  };
  it('writes exactly what the reference writes, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(v) === reference(v)), { numRuns: 2000 });
  });
  it('keeps integer-like keys and "__proto__" in sorted string order', () => {
    expect(canonicalJson({ b: 1, 10: 'x', 9: 'y', a: { __proto__: null, z: [1] } })).toBe('{"10":"x","9":"y","a":{"z":[1]},"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":1,"a":2}'))).toBe('{"__proto__":1,"a":2}');
  });
});

describe('event hash', () => {
  it('ignores key order and covers every part of the event', () => {
    const e = event(7, { b: 1, a: [1, { y: 2, x: 'é' }] });
    expect(eventHash({ ...e, data: { a: [1, { x: 'é', y: 2 }], b: 1 } }).equals(eventHash(e))).toBe(true);
    for (const changed of [{ id: 'other' }, { type: 'X' }, { streamId: 's' }, { revision: 1n }, { position: 8n }, { data: { b: 2 } }, { metadata: {} }]) {
      expect(eventHash({ ...e, ...changed }).equals(eventHash(e))).toBe(false);
    }
  });
});

describe('seal entries', () => {
  it('keep their byte layout (a fixed vector: UTF-8 stream ids, one- and multi-byte varints, a 62-bit revision)', () => {
    const entries = [
      { position: 5n, streamId: 'decision-é', revision: 0n, digest: Buffer.from('0102030405060708', 'hex') },
      { position: 305n, streamId: 'audit-seals', revision: 127n, digest: Buffer.from('a1a2a3a4a5a6a7a8', 'hex') },
      { position: 305n + 2n ** 35n, streamId: '', revision: 2n ** 62n, digest: Buffer.from('ffffffffffffffff', 'hex') },
    ];
    expect(encodeSealEntries(1n, entries).toString('hex')).toBe(
      '040b6465636973696f6e2dc3a9000102030405060708ac020b61756469742d7365616c737fa1a2a3a4a5a6a7a880808080800100808080808080808040ffffffffffffffff',
    );
  });

  it('round-trip and their size is what entrySize says', () => {
    const entry = fc.record({ gap: fc.bigInt({ min: 1n, max: 2n ** 40n }), streamId: fc.string({ maxLength: 60 }), revision: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), digest: fc.uint8Array({ minLength: 8, maxLength: 8 }) });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 40n }), fc.array(entry, { maxLength: 30 }), (from, raw) => {
        let position = from;
        const entries = raw.map((r) => ({ position: (position += r.gap), streamId: r.streamId, revision: r.revision, digest: Buffer.from(r.digest) }));
        const bytes = encodeSealEntries(from, entries);
        let previous = from;
        const size = raw.reduce((n, r, i) => n + entrySize(entries[i].position - (i === 0 ? previous : entries[i - 1].position), r.streamId, r.revision), 0);
        previous = from;
        return bytes.length === size && canonicalJson(decodeSealEntries(from, bytes).map((e) => ({ ...e, digest: e.digest.toString('hex'), position: String(e.position), revision: String(e.revision) }))) === canonicalJson(entries.map((e) => ({ ...e, digest: e.digest.toString('hex'), position: String(e.position), revision: String(e.revision) })));
      }),
    );
  });
});

describe('a seal', () => {
  const key = signer();
  const keys = new Map([[key.keyId, key.publicKey]]);
  const events = [1, 2, 3, 5, 8].map((p) => event(p));
  const { data, sealHash } = buildSeal(events.map(hashed), null, key, new Date('2026-12-01T00:00:00Z'));
  const header = sealHeaderOf(data);
  const check = (stored: HashableEvent[]) => checkSealedRange(header, data.entries, stored.map(hashed));

  it('is well formed, chains from nothing and verifies clean against its own events', () => {
    expect(parseSealEvent(JSON.parse(JSON.stringify(data)))).toMatchObject({ ok: true });
    expect(header).toMatchObject({ index: 0, fromPosition: '0', toPosition: '8', count: 5, previousSealHash: null });
    expect(checkSealLink(header, data.signature, 0n, null, keys)).toEqual([]);
    expect(check(events)).toEqual([]);
  });

  it('names an altered, a missing, an extra and reordered events by position and stream', () => {
    expect(check(events.map((e) => (e.position === 3n ? { ...e, data: { n: 4 } } : e)))).toEqual([expect.objectContaining({ kind: 'altered', position: '3', stream: 'decision-tx-3', seal: 0 })]);
    expect(check(events.filter((e) => e.position !== 5n))).toEqual([expect.objectContaining({ kind: 'missing', position: '5', stream: 'decision-tx-5' })]);
    const forged = event(4);
    expect(check([...events.slice(0, 3), forged, ...events.slice(3)])).toEqual([expect.objectContaining({ kind: 'extra', position: '4', stream: 'decision-tx-4' })]);
    const swapped = [events[0], { ...events[2], position: 2n }, { ...events[1], position: 3n }, events[3], events[4]];
    expect(check(swapped)).toEqual([
      expect.objectContaining({ kind: 'reordered', position: '2', stream: 'decision-tx-3', sealedPosition: '3' }),
      expect.objectContaining({ kind: 'reordered', position: '3', stream: 'decision-tx-2', sealedPosition: '2' }),
    ]);
  });

  it('reports a root mismatch the entries cannot localise, and entries that do not match their hash', () => {
    expect(checkSealedRange({ ...header, merkleRoot: '0'.repeat(64) }, data.entries, events.map(hashed))).toEqual([expect.objectContaining({ kind: 'root-mismatch', seal: 0 })]);
    const tampered = checkSealedRange(header, Buffer.from('x').toString('base64'), events.map(hashed));
    expect(tampered.map((f) => f.kind)).toEqual(['entries-mismatch']);
  });

  it('breaks the chain and the signature when its header is changed', () => {
    const next = buildSeal([hashed(event(9))], { index: 0, toPosition: 8n, sealHash }, key, new Date());
    const h1 = sealHeaderOf(next.data);
    expect(checkSealLink(h1, next.data.signature, 1n, { toPosition: '8', sealHash }, keys)).toEqual([]);
    expect(checkSealLink(h1, next.data.signature, 1n, { toPosition: '8', sealHash: 'f'.repeat(64) }, keys).map((f) => f.kind)).toEqual(['chain-broken']);
    const altered: SealHeader = { ...h1, count: 2 };
    expect(checkSealLink(altered, next.data.signature, 1n, { toPosition: '8', sealHash }, keys).map((f) => f.kind)).toEqual(['bad-signature']);
    expect(checkSealLink(h1, next.data.signature, 1n, { toPosition: '8', sealHash }, new Map()).map((f) => f.kind)).toEqual(['unknown-key']);
  });

  it('gives each event a proof that verifies offline, and fails a proof with any part changed', () => {
    const hashes = events.map((e) => eventHash(e));
    const proof = buildEventProof(events[3], 3, hashes, { header, signature: data.signature, sealHash });
    expect(verifyEventProof(JSON.parse(JSON.stringify(proof)), keys)).toMatchObject({ valid: true });
    expect(verifyEventProof({ ...proof, event: { ...proof.event, data: { n: 6 } } }, keys).valid).toBe(false);
    expect(verifyEventProof({ ...proof, leafIndex: 2 }, keys).valid).toBe(false);
    expect(verifyEventProof({ ...proof, seal: { ...proof.seal, header: { ...header, merkleRoot: proof.eventHash } } }, keys).valid).toBe(false);
    expect(verifyEventProof(proof, new Map([[key.keyId, signer().publicKey]])).checks.find((c) => c.check === 'signature')?.ok).toBe(false);
  });
});
