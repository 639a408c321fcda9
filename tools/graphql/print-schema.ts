/** `npm run graphql:schema`: rewrites schema.graphql from the code (the schema test fails until it is committed). */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { printGraphqlSchema, SCHEMA_FILE } from '../../apps/engine/src/graphql/schema-printer';

printGraphqlSchema()
  .then((sdl) => {
    writeFileSync(SCHEMA_FILE, sdl);
    process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
