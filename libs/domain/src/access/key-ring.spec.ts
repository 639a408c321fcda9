import fc from 'fast-check';
import { formatApiKey, hashApiKeySecret, parseApiKey } from './api-key';
import { KeyRing, ApiKeyError } from './key-ring';
import { grants } from './roles';

const SECRET = 'A'.repeat(43);
const SALT = '00112233445566778899aabbccddeeff';
const AT = '2026-12-04T10:00:00.000Z';

function ringWith(keyId: string, roles: string[], secret = SECRET): KeyRing {
  const ring = new KeyRing();
  ring.apply(ring.create({ keyId, client: 'checkout', roles, salt: SALT, secretHash: hashApiKeySecret(SALT, secret), at: AT, by: 'test' }));
  return ring;
}

describe('API keys', () => {
  it('parses only keys of our shape, and round-trips what it formats', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{16}$/), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), (keyId, secret) => {
        expect(parseApiKey(formatApiKey(keyId, secret))).toEqual({ keyId, secret });
      }),
    );
    for (const bad of ['', 'vdk_', `vdk_${'a'.repeat(16)}`, `vdk_${'A'.repeat(16)}_${SECRET}`, `vdk_${'a'.repeat(16)}-${SECRET}`, `xyz_${'a'.repeat(16)}_${SECRET}`, `vdk_${'a'.repeat(16)}_${SECRET}x`]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('authenticates the right secret only, and stops at revocation', () => {
    const ring = ringWith('aaaaaaaaaaaaaaaa', ['decide']);
    expect(ring.authenticate(formatApiKey('aaaaaaaaaaaaaaaa', SECRET))).toEqual({ kind: 'api-key', client: 'checkout', keyId: 'aaaaaaaaaaaaaaaa', roles: ['decide'] });
    expect(ring.authenticate(formatApiKey('aaaaaaaaaaaaaaaa', 'B'.repeat(43)))).toBe('wrong-secret');
    expect(ring.authenticate(formatApiKey('bbbbbbbbbbbbbbbb', SECRET))).toBe('unknown');
    expect(ring.authenticate('Bearer nonsense')).toBe('malformed');
    ring.apply(ring.revoke('aaaaaaaaaaaaaaaa', AT, 'admin', 'rotated'));
    expect(ring.authenticate(formatApiKey('aaaaaaaaaaaaaaaa', SECRET))).toBe('revoked');
    expect(ring.get('aaaaaaaaaaaaaaaa')).toMatchObject({ revokedAt: AT, revokedBy: 'admin' });
    expect(() => ring.revoke('aaaaaaaaaaaaaaaa', AT, 'admin', null)).toThrow(expect.objectContaining({ code: 'key-already-revoked' }));
    expect(() => ring.revoke('cccccccccccccccc', AT, 'admin', null)).toThrow(expect.objectContaining({ code: 'unknown-key' }));
  });

  it('refuses keys without roles, with unknown roles, a bad client or a taken id', () => {
    const ring = ringWith('aaaaaaaaaaaaaaaa', ['decide']);
    const create = (over: Record<string, unknown>) => () =>
      ring.create({ keyId: 'dddddddddddddddd', client: 'c', roles: ['analyze'], salt: SALT, secretHash: 'x', at: AT, by: 't', ...over } as never);
    expect(create({ roles: [] })).toThrow(ApiKeyError);
    expect(create({ roles: ['superuser'] })).toThrow(/unknown role/);
    expect(create({ client: 'has space' })).toThrow(/client/);
    expect(create({ keyId: 'aaaaaaaaaaaaaaaa' })).toThrow(expect.objectContaining({ code: 'duplicate-key' }));
    expect(create({ rateLimitPerSecond: 0 })).toThrow(/rateLimitPerSecond/);
    expect(create({ roles: ['analyze', 'analyze'] })().data).toMatchObject({ roles: ['analyze'] });
  });

  it('never lists a secret or its hash, and counts every event of the stream', () => {
    const ring = ringWith('aaaaaaaaaaaaaaaa', ['decide']);
    ring.skip();
    expect(ring.revision).toBe(2);
    expect(JSON.stringify(ring.list())).not.toMatch(/secretHash|salt/);
  });

  it('lets admin do anything and every other role only what it names', () => {
    expect(grants(['admin'], ['decide'])).toBe(true);
    expect(grants(['admin'], [])).toBe(true);
    expect(grants(['decide'], ['analyze', 'audit'])).toBe(false);
    expect(grants(['audit'], ['analyze', 'audit'])).toBe(true);
    expect(grants(['decide'], [])).toBe(false);
  });
});
