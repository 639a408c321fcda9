import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { isPseudonym } from './personal-fields';
import { protectParameters } from './protect-parameters';
import { deriveKeys, Pseudonymizer } from './pseudonymizer';

describe('protectParameters: a read\'s parameters as the access log keeps them', () => {
  const pseudonyms = new Pseudonymizer(deriveKeys(randomBytes(32)).pseudonyms);
  const policy = { cardIdsAreTokens: false, personalAttributes: [] };

  it('replaces personal values by the pseudonyms the log and the read models hold, at any depth and in lists', () => {
    const out = protectParameters(
      { cardId: 'card-1', limit: '10', filter: { customerId: 'cust-1', outcome: 'decline', ip: ['10.0.0.1', '10.0.0.2'] }, first: 5 },
      policy,
      pseudonyms,
    );
    expect(out).toEqual({
      cardId: pseudonyms.field('cardId', 'card-1'),
      limit: '10',
      filter: { customerId: pseudonyms.field('customerId', 'cust-1'), outcome: 'decline', ip: [pseudonyms.field('ip', '10.0.0.1'), pseudonyms.field('ip', '10.0.0.2')] },
      first: 5,
    });
  });

  it('keeps card ids that are already tokens, values that are already pseudonyms, and non-string values', () => {
    const p = pseudonyms.field('deviceId', 'dev-1');
    expect(protectParameters({ cardId: 'tok-1', deviceId: p, customerId: null }, { ...policy, cardIdsAreTokens: true }, pseudonyms)).toEqual({ cardId: 'tok-1', deviceId: p, customerId: null });
  });

  it('never lets a personal value through, whatever the shape around it', () => {
    const secret = fc.string({ minLength: 1 }).filter((s) => !isPseudonym(s));
    const shape = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.record({ cardId: secret }),
        fc.record({ customerId: fc.array(secret, { maxLength: 3 }) }),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('filter', 'where', 'and', 'limit'), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(shape, (params) => {
        const collected: string[] = [];
        JSON.stringify(protectParameters({ params } as Record<string, unknown>, policy, pseudonyms), (key, value) => {
          if ((key === 'cardId' || key === 'customerId') && value !== undefined) collected.push(...[value].flat());
          return value;
        });
        expect(collected.every(isPseudonym)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
