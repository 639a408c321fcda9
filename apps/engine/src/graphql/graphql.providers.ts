import type { Provider } from '@nestjs/common';
import { DecisionFeed } from './decision-feed';
import { DecisionMadeResolver } from './decision-made.resolver';
import { DecisionResolver } from './decision.resolver';
import { EventStoreDecisionStreams } from './decision-streams';
import { DeploymentResolver } from './deployment.resolver';
import { GraphqlLoaderFactory } from './graphql-loaders';
import { DECISION_STREAMS } from './graphql.tokens';
import { ModelResolver, ModelVersionResolver } from './model.resolver';
import { TransactionResolver } from './transaction.resolver';

/** Every resolver of the schema: the engine serves them, and schema.graphql is printed from them. */
export const GRAPHQL_RESOLVERS = [DecisionResolver, DecisionMadeResolver, TransactionResolver, ModelResolver, ModelVersionResolver, DeploymentResolver];

export function graphqlProviders(): Provider[] {
  return [...GRAPHQL_RESOLVERS, GraphqlLoaderFactory, DecisionFeed, { provide: DECISION_STREAMS, useClass: EventStoreDecisionStreams }];
}
