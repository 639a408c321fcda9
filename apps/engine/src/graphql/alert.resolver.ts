import { Inject } from '@nestjs/common';
import { Args, Context, Info, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Principal } from '@verdict/domain';
import { LiveAccess } from '../access/live-access';
import type { GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import type { VerdictConfig } from '@verdict/config';
import type { Alert as AlertRecord } from '@verdict/domain';
import { encodeDecisionCursor, InvalidCursorError, type AlertQueries } from '@verdict/read-models';
import { ProblemException } from '../http/problem.exception';
import { ALERTS, VERDICT_CONFIG } from '../infrastructure/tokens';
import { AlertFeed } from './alert-feed';
import { Alert, AlertConnection, AlertFilter, type AlertType } from './alert.types';
import { validArgs } from './graphql-args';
import { complexityError, complexityOfOperation, pageComplexity } from './query-limits';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';

const MAX_PAGE = 500;
const modelId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
const filterSchema = z.object({ type: z.string().optional(), model: modelId.optional() }).strict().optional();
const listArgs = z.object({ filter: filterSchema, first: z.number().int().min(1).max(MAX_PAGE), after: z.string().min(1).max(200).optional() });

const toAlert = (a: AlertRecord): Alert => ({ ...a, type: a.type as unknown as AlertType, raisedAt: new Date(a.raisedAt) });

/** alerts(filter, first, after) from the alerts read model, and alertRaised from the log as alerts are committed. */
@Roles('analyze', 'operate')
@GuardedByRoles()
@Resolver(() => Alert)
export class AlertResolver {
  constructor(
    @Inject(ALERTS) private readonly alertList: Pick<AlertQueries, 'list'>,
    private readonly feed: AlertFeed,
    private readonly live: LiveAccess,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
  ) {}

  @Query(() => AlertConnection, {
    description: 'DriftDetected, PerformanceDegraded and ChallengerRolledBack alerts, newest first (GET /v1/alerts)',
    complexity: pageComplexity(MAX_PAGE),
  })
  async alerts(
    @Args('filter', { type: () => AlertFilter, nullable: true }) filter: AlertFilter | null,
    @Args('first', { type: () => Int, defaultValue: 50, description: `1–${MAX_PAGE}` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: "A previous page's endCursor" }) after: string | null,
  ): Promise<AlertConnection> {
    const args = validArgs(listArgs, { filter, first, after });
    let page;
    try {
      page = await this.alertList.list({ ...(args.filter as { type?: never; model?: string }), limit: args.first, ...(args.after ? { cursor: args.after } : {}) });
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new ProblemException('invalid-query', error.message, { errors: [{ path: '/after', message: 'is not a cursor this API returned' }] });
      throw error;
    }
    const edges = page.items.map((a) => ({ cursor: encodeDecisionCursor(BigInt(a.position)), node: toAlert(a) }));
    return {
      edges,
      pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  @Subscription(() => Alert, {
    description: 'Alerts as they are committed, raised by any engine instance, from the moment of subscribing',
    resolve: (alert: AlertRecord) => toAlert(alert),
  })
  async alertRaised(
    @Args('filter', { type: () => AlertFilter, nullable: true }) filter: AlertFilter | null,
    @Info() info: GraphQLResolveInfo,
    @Context('principal') principal: Principal,
  ): Promise<AsyncIterableIterator<AlertRecord>> {
    const tooComplex = complexityError(this.config.graphql, complexityOfOperation(info));
    if (tooComplex) throw tooComplex;
    const args = validArgs(z.object({ filter: filterSchema }), { filter });
    const alerts = await this.feed.subscribe(args.filter ?? {});
    return this.live.watch(alerts, { principal, operation: `graphql:${info.operation.name?.value ?? 'anonymous'}.alertRaised`, parameters: { filter: args.filter ?? null }, recordsDecisions: false });
  }
}
