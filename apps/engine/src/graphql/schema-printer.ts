import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import path from 'node:path';
import { repoRoot } from '@verdict/config';
import { GRAPHQL_RESOLVERS } from './graphql.providers';

/** The committed schema: schema.graphql at the repository root. */
export const SCHEMA_FILE = path.join(repoRoot(), 'schema.graphql');

const HEADER = '# Verdict GraphQL API (/graphql): printed from the resolvers in apps/engine/src/graphql by `npm run graphql:schema`.\n# Do not edit: a test fails when this file and the code disagree. Guide: docs/graphql.md\n\n';

/** The schema the engine serves, built from the same resolvers, sorted as the engine sorts it. */
export async function printGraphqlSchema(): Promise<string> {
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const schema = await context.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS);
    return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
  } finally {
    await context.close();
  }
}
