import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '../canonical-json';
import type { DecisionRequest } from '../decision-request';
import { open, seal, unwrapKey, wrapKey } from './personal-envelope';
import { ERASED, isPseudonym } from './personal-fields';
import { openPersonal, protectRequest, pseudonymsIn, revealRequest, sealPersonal } from './protect-request';
import { deriveKeys, Pseudonymizer } from './pseudonymizer';

const master = Buffer.alloc(32, 7);
const keys = deriveKeys(master);
const pseudonyms = new Pseudonymizer(keys.pseudonyms);
const policy = { cardIdsAreTokens: false, personalAttributes: ['email'] };
const request: DecisionRequest = {
  transactionId: 'tx-1',
  occurredAt: '2026-12-01T10:00:00Z',
  amount: 42.5,
  currency: 'EUR',
  cardId: 'card-1',
  merchantId: 'm-1',
  customerId: 'cust-1',
  deviceId: 'dev-1',
  ip: '10.0.0.1',
  attributes: { email: 'a@example.com', loyalty: 3 },
};

describe('personal data protection (pure)', () => {
  it('derives two independent keys from the master key and refuses a key of the wrong size', () => {
    expect(keys.wrapping.equals(keys.pseudonyms)).toBe(false);
    expect(deriveKeys(master).pseudonyms.equals(keys.pseudonyms)).toBe(true);
    expect(() => deriveKeys(Buffer.alloc(16))).toThrow(RangeError);
  });

  it('gives deterministic pseudonyms per field: equal values stay equal, fields and masters do not collide', () => {
    expect(pseudonyms.field('cardId', 'x')).toBe(pseudonyms.field('cardId', 'x'));
    expect(pseudonyms.field('cardId', 'x')).not.toBe(pseudonyms.field('customerId', 'x'));
    expect(new Pseudonymizer(deriveKeys(Buffer.alloc(32, 8)).pseudonyms).field('cardId', 'x')).not.toBe(pseudonyms.field('cardId', 'x'));
    expect(pseudonyms.attribute('n', 1)).not.toBe(pseudonyms.attribute('n', '1'));
    expect(isPseudonym(pseudonyms.subject('s'))).toBe(true);
  });

  it('replaces every personal value by its pseudonym, keeps the rest, and names the customer as the subject', () => {
    const p = protectRequest(request, policy, pseudonyms);
    const text = canonicalJson(p.stored as unknown as Record<string, unknown>);
    for (const clear of ['card-1', 'cust-1', 'dev-1', '10.0.0.1', 'a@example.com']) expect(text).not.toContain(clear);
    expect(p.stored).toMatchObject({ transactionId: 'tx-1', amount: 42.5, merchantId: 'm-1', attributes: { loyalty: 3 } });
    expect(p.subject).toEqual({ id: 'cust-1', ref: pseudonyms.subject('cust-1') });
    expect(p.personal).toEqual({ cardId: 'card-1', customerId: 'cust-1', deviceId: 'dev-1', ip: '10.0.0.1', attributes: { email: 'a@example.com' } });
    expect(pseudonymsIn(p.stored)).toHaveLength(5);
  });

  it('makes the card the subject without a customer, and keeps card tokens in the clear when configured', () => {
    const bare = { ...request, customerId: undefined, deviceId: undefined, ip: undefined, attributes: undefined };
    expect(protectRequest(bare, policy, pseudonyms).subject?.id).toBe('card-1');
    const tokens = protectRequest(bare, { cardIdsAreTokens: true, personalAttributes: [] }, pseudonyms);
    expect(tokens).toEqual({ stored: bare, identities: [] });
  });

  it('reveals what the map knows and shows ERASED for the rest', () => {
    const p = protectRequest(request, policy, pseudonyms);
    const all = new Map(p.identities.map((i) => [i.pseudonym, i.value]));
    expect(revealRequest(p.stored, all)).toEqual(request);
    const none = revealRequest(p.stored, new Map());
    expect(none).toMatchObject({ cardId: ERASED, customerId: ERASED, deviceId: ERASED, ip: ERASED, attributes: { email: ERASED, loyalty: 3 }, amount: 42.5 });
  });

  it('seals an envelope that opens only with its key and for its decision', () => {
    const p = protectRequest(request, policy, pseudonyms);
    const key = { keyId: 'k1', key: randomBytes(32) };
    const envelope = sealPersonal(p.personal!, p.subject!.ref, key, 'decision-1');
    expect(openPersonal(envelope, key.key, 'decision-1')).toEqual(p.personal);
    expect(() => openPersonal(envelope, randomBytes(32), 'decision-1')).toThrow();
    expect(() => openPersonal(envelope, key.key, 'decision-2')).toThrow();
    const flipped = Buffer.from(envelope.data, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => openPersonal({ ...envelope, data: flipped.toString('base64url') }, key.key, 'decision-1')).toThrow();
  });

  it('wraps a subject key so that only the wrapping key, key id and subject open it', () => {
    const key = randomBytes(32);
    const wrapped = wrapKey(keys.wrapping, key, 'k1', 'subject');
    expect(unwrapKey(keys.wrapping, wrapped, 'k1', 'subject').equals(key)).toBe(true);
    expect(() => unwrapKey(keys.wrapping, wrapped, 'k2', 'subject')).toThrow();
    expect(() => unwrapKey(keys.pseudonyms, wrapped, 'k1', 'subject')).toThrow();
  });

  it('gives every seal its own 96-bit nonce, across refills of the nonce pool', () => {
    const key = randomBytes(32);
    const boxes = Array.from({ length: 2_000 }, (_, i) => seal(key, 'same text', 'same aad') && seal(key, `text ${i}`, 'aad'));
    const ivs = boxes.map((box) => box.iv);
    expect(new Set(ivs).size).toBe(ivs.length);
    for (const iv of ivs) expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    // The same text under the same key seals differently each time, and each box still opens.
    expect(seal(key, 'same text', 'same aad').data).not.toBe(seal(key, 'same text', 'same aad').data);
    boxes.forEach((box, i) => expect(open(key, box, 'aad')).toBe(`text ${i}`));
  });

  it('round-trips any text through seal and open (property)', () => {
    const key = randomBytes(32);
    fc.assert(fc.property(fc.string(), fc.string(), (text, aad) => open(key, seal(key, text, aad), aad) === text));
  });
});
