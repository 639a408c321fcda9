import { postgresArrayLiteral } from './sql-dialect';
import { readModelTestTargets, type TestReadModel } from './testing/read-model-test-targets';

const AWKWARD = ['plain', 'a"quote', 'back\\slash', 'comma,and{braces}', '  spaces  ', 'NULL', '', 'ünïcødé ✓', '\\"both\\"'];

describe('postgresArrayLiteral', () => {
  it('quotes every string and writes null, numbers and bigints bare', () => {
    expect(postgresArrayLiteral(['a"b', 'c\\d', null, undefined, 1.5, 12n])).toBe('{"a\\"b","c\\\\d",NULL,NULL,1.5,12}');
    expect(postgresArrayLiteral([])).toBe('{}');
  });
});

// PostgreSQL only (readModelTestTargets prints why it is left out off CI, and fails under CI).
for (const target of readModelTestTargets().filter((t) => t.kind === 'postgres')) {
  describe('postgresArrayLiteral read by PostgreSQL', () => {
    let model: TestReadModel;
    beforeAll(async () => (model = await target.open()));
    afterAll(() => model.dispose());

    it('round-trips awkward text, nulls, float8 and bigint exactly', async () => {
      const text: { v: string | null }[] = await model.dataSource.query('SELECT unnest($1::varchar[]) AS "v"', [postgresArrayLiteral([...AWKWARD, null])]);
      expect(text.map((r) => r.v)).toEqual([...AWKWARD, null]);
      const floats = [0.1, 1 / 3, -2.5e-300, Number.MAX_VALUE, 5e-324];
      const f: { v: number }[] = await model.dataSource.query('SELECT unnest($1::float8[]) AS "v"', [postgresArrayLiteral(floats)]);
      expect(f.map((r) => r.v)).toEqual(floats);
      const b: { v: string }[] = await model.dataSource.query('SELECT unnest($1::bigint[])::text AS "v"', [postgresArrayLiteral([2n ** 62n, 1n])]);
      expect(b.map((r) => r.v)).toEqual([String(2n ** 62n), '1']);
    });
  });
}
