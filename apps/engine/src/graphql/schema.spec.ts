import { readFileSync } from 'node:fs';
import { printGraphqlSchema, SCHEMA_FILE } from './schema-printer';

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run graphql:schema` after changing the API)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printGraphqlSchema());
  });
});
