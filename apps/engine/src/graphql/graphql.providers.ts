import type { Provider } from '@nestjs/common';
import { AlertFeed } from './alert-feed';
import { AlertResolver } from './alert.resolver';
import { DecisionFeed } from './decision-feed';
import { DecisionMadeResolver } from './decision-made.resolver';
import { DecisionResolver } from './decision.resolver';
import { EventStoreDecisionStreams } from './decision-streams';
import { DeploymentResolver } from './deployment.resolver';
import { GraphqlLoaderFactory } from './graphql-loaders';
import { DECISION_STREAMS } from './graphql.tokens';
import { ModelMonitoringResolver } from './model-monitoring.resolver';
import { ModelResolver, ModelVersionResolver } from './model.resolver';
import { ReviewResolver } from './review.resolver';
import { TransactionResolver } from './transaction.resolver';

/** Every resolver of the schema: the engine serves them, and schema.graphql is printed from them. */
export const GRAPHQL_RESOLVERS = [
  DecisionResolver,
  DecisionMadeResolver,
  TransactionResolver,
  ModelResolver,
  ModelVersionResolver,
  ModelMonitoringResolver,
  DeploymentResolver,
  AlertResolver,
  ReviewResolver,
];

export function graphqlProviders(): Provider[] {
  return [...GRAPHQL_RESOLVERS, GraphqlLoaderFactory, DecisionFeed, AlertFeed, { provide: DECISION_STREAMS, useClass: EventStoreDecisionStreams }];
}
