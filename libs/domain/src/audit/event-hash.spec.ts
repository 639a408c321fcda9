import fc from 'fast-check';
import { canonicalJson } from '../canonical-json';
import { eventHash, eventHashOfText } from './event-hash';

const key = fc.oneof(fc.string(), fc.constantFrom('0', '10', '__proto__', 'a', 'B', 'é', '😀'));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;
const object = fc.dictionary(key, json, { maxKeys: 6 });
const identity = fc.record({
  id: fc.uuid(),
  type: fc.string({ minLength: 1 }),
  streamId: fc.string({ minLength: 1 }),
  revision: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
  position: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
});

describe('eventHashOfText', () => {
  it('equals eventHash when the stored text is canonical JSON', () => {
    fc.assert(
      fc.property(identity, object, object, (e, data, metadata) => {
        const fromText = eventHashOfText({ ...e, dataJson: canonicalJson(data), metadataJson: canonicalJson(metadata) });
        expect(fromText.equals(eventHash({ ...e, data, metadata }))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('differs when the text is not canonical, even though it means the same (the caller then parses)', () => {
    const e = { id: '00000000-0000-4000-8000-000000000000', type: 'T', streamId: 's', revision: 0n, position: 1n };
    const data = { b: 1, a: 2 };
    expect(eventHashOfText({ ...e, dataJson: JSON.stringify(data), metadataJson: '{}' }).equals(eventHash({ ...e, data, metadata: {} }))).toBe(false);
    expect(eventHashOfText({ ...e, dataJson: '{"a": 2, "b": 1}', metadataJson: '{}' }).equals(eventHash({ ...e, data, metadata: {} }))).toBe(false);
  });
});
