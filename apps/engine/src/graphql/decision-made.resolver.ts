import { Inject } from '@nestjs/common';
import { Args, Context, Info, Resolver, Subscription } from '@nestjs/graphql';
import type { Principal } from '@verdict/domain';
import { LiveAccess } from '../access/live-access';
import type { GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import type { VerdictConfig } from '@verdict/config';
import { decisionFilterParams } from '../decisions/list-decisions.params';
import { VERDICT_CONFIG } from '../infrastructure/tokens';
import { DecisionMadeFilter } from './decision-connection.types';
import { DecisionFeed } from './decision-feed';
import type { DecisionNode } from './decision-node';
import { Decision } from './decision.types';
import { validArgs } from './graphql-args';
import { complexityError, complexityOfOperation } from './query-limits';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';
import { RecordsAccess } from '../access/access-recording.interceptor';

const filterArgs = z.object({
  filter: z
    .object({
      outcome: decisionFilterParams.outcome,
      cardId: decisionFilterParams.cardId,
      merchantId: decisionFilterParams.merchantId,
      minScore: z.number().min(0).max(1).optional(),
    })
    .strict()
    .optional(),
});

/** decisionMade: every decision committed from now on, by any instance, that passes the filter (docs/graphql.md). */
@Roles('analyze')
@GuardedByRoles()
@RecordsAccess()
@Resolver(() => Decision)
export class DecisionMadeResolver {
  constructor(
    private readonly feed: DecisionFeed,
    private readonly live: LiveAccess,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
  ) {}

  @Subscription(() => Decision, {
    description: 'Decisions as they are committed, from any engine instance, from the moment of subscribing',
    resolve: (decision: DecisionNode) => decision,
  })
  async decisionMade(
    @Args('filter', { type: () => DecisionMadeFilter, nullable: true }) filter: DecisionMadeFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Context('principal') principal: Principal,
  ): Promise<AsyncIterableIterator<DecisionNode>> {
    // Mercurius gives subscription hooks no variables, so the cost is measured here, before anything is opened.
    const tooComplex = complexityError(this.config.graphql, complexityOfOperation(info));
    if (tooComplex) throw tooComplex;
    const args = validArgs(filterArgs, { filter });
    const decisions = await this.feed.subscribe(args.filter ?? {});
    return this.live.watch(decisions, { principal, operation: `graphql:${info.operation.name?.value ?? 'anonymous'}.decisionMade`, parameters: { filter: args.filter ?? null }, recordsDecisions: true });
  }
}
