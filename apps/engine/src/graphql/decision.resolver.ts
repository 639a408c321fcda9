import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { z } from 'zod';
import { DEFAULT_DECISION_PAGE_SIZE, encodeDecisionCursor, InvalidCursorError, MAX_DECISION_PAGE_SIZE } from '@verdict/read-models';
import { SAFE_ID } from '@verdict/domain';
import type { DecisionAuditRecord } from '../decisions/decision-audit-record';
import type { DecisionQueriesPort } from '../decisions/decision-queries.port';
import { GetDecisionQuery } from '../decisions/get-decision.query';
import { decisionFilterParams } from '../decisions/list-decisions.params';
import { ProblemException } from '../http/problem.exception';
import { DECISION_QUERIES } from '../infrastructure/tokens';
import { DecisionConnection, DecisionFilter } from './decision-connection.types';
import { fromRecord, fromSummary, type DecisionNode } from './decision-node';
import { Decision, DecisionTimings, FeatureValue, Label, Policy, Reason, ShadowVerdict, STREAM_FIELD_COST, type Outcome } from './decision.types';
import { GraphqlLoaderFactory } from './graphql-loaders';
import { validArgs } from './graphql-args';
import { pageComplexity } from './query-limits';
import { toLabel } from './labels';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';
import { RecordsAccess } from '../access/access-recording.interceptor';

const listArgs = z.object({
  filter: z
    .object({ ...decisionFilterParams, from: z.date().optional(), to: z.date().optional() })
    .strict()
    .refine((f) => f.modelVersion === undefined || f.model !== undefined, { path: ['modelVersion'], message: "needs model: a version is one of a model's versions" })
    .optional(),
  first: z.number().int().min(1).max(MAX_DECISION_PAGE_SIZE),
  after: z.string().min(1).max(200).optional(),
});

/** decision(id), decisions(filter, first, after), and the fields of a Decision that come from its event. */
@Roles('analyze')
@GuardedByRoles()
@RecordsAccess()
@Resolver(() => Decision)
export class DecisionResolver {
  constructor(
    private readonly queries: QueryBus,
    @Inject(DECISION_QUERIES) private readonly list: DecisionQueriesPort,
    private readonly loaders: GraphqlLoaderFactory,
  ) {}

  @Query(() => Decision, { nullable: true, description: 'A decision by id, as GET /v1/decisions/{decisionId} finds it (read-your-writes); null when unknown' })
  async decision(@Args('id', { type: () => ID }) id: string): Promise<DecisionNode | null> {
    const record: DecisionAuditRecord | null = SAFE_ID.test(id) ? await this.queries.execute(new GetDecisionQuery(id)) : null;
    return record ? fromRecord(record) : null;
  }

  @Query(() => DecisionConnection, {
    description: 'Decisions from the read model, newest first: the filters and cursors of GET /v1/decisions',
    // Everything selected below costs once per decision on the page.
    complexity: pageComplexity(MAX_DECISION_PAGE_SIZE),
  })
  async decisions(
    @Args('filter', { type: () => DecisionFilter, nullable: true }) filter: DecisionFilter | null,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_DECISION_PAGE_SIZE, description: `1–${MAX_DECISION_PAGE_SIZE}` }) first: number,
    @Args('after', { type: () => String, nullable: true, description: "A previous page's endCursor" }) after: string | null,
  ): Promise<DecisionConnection> {
    const args = validArgs(listArgs, { filter, first, after });
    let page;
    try {
      page = await this.list.list({ ...args.filter, limit: args.first, cursor: args.after });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw new ProblemException('invalid-query', error.message, { errors: [{ path: '/after', message: 'is not a cursor this API returned' }] });
      }
      throw error;
    }
    const edges = page.items.map((item) => ({ cursor: encodeDecisionCursor(BigInt(item.position)), node: fromSummary(item) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.nextCursor !== null,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  @ResolveField(() => Policy, { complexity: STREAM_FIELD_COST, description: 'The policy that produced the outcome' })
  async policy(@Parent() d: DecisionNode, @Context() ctx: object): Promise<Policy> {
    return (await this.record(d, ctx)).policy;
  }

  @ResolveField(() => [Reason], { complexity: STREAM_FIELD_COST, description: 'Top contributors to the score, most important first' })
  async reasons(@Parent() d: DecisionNode, @Context() ctx: object): Promise<readonly Reason[]> {
    return (await this.record(d, ctx)).reasons;
  }

  @ResolveField(() => [FeatureValue], { complexity: STREAM_FIELD_COST, description: 'The input row, in model column order' })
  async features(@Parent() d: DecisionNode, @Context() ctx: object): Promise<FeatureValue[]> {
    const { names, values } = (await this.record(d, ctx)).features;
    return names.map((name, i) => ({ name, value: values[i] }));
  }

  @ResolveField(() => DecisionTimings, { complexity: STREAM_FIELD_COST })
  async timings(@Parent() d: DecisionNode, @Context() ctx: object): Promise<DecisionTimings> {
    return (await this.record(d, ctx)).timings;
  }

  @ResolveField(() => ShadowVerdict, { nullable: true, complexity: STREAM_FIELD_COST, description: "The shadow challenger's verdict; null unless a shadow challenger scored this request" })
  async shadow(@Parent() d: DecisionNode, @Context() ctx: object): Promise<ShadowVerdict | null> {
    const shadow = (await this.record(d, ctx)).shadow;
    if (!shadow) return null;
    return {
      model: { name: shadow.model.name, version: shadow.model.version, sha256: shadow.model.sha256 },
      policy: shadow.policy,
      score: shadow.score ?? null,
      outcome: (shadow.outcome as Outcome | undefined) ?? null,
      inferenceMs: shadow.inferenceMs,
      error: shadow.error ?? null,
    };
  }

  @ResolveField(() => [Label], { complexity: STREAM_FIELD_COST, description: "The transaction's labels (TransactionLabelled), in the order they were recorded" })
  async labels(@Parent() d: DecisionNode, @Context() ctx: object): Promise<Label[]> {
    return (await this.loaders.of(ctx).decisionStreams.load(d.transactionId)).labels.map(toLabel);
  }

  /** The event, from the parent when it came with it, else from the transaction's stream (batched per operation). */
  private async record(d: DecisionNode, ctx: object): Promise<DecisionAuditRecord> {
    if (d.record) return d.record;
    const { record } = await this.loaders.of(ctx).decisionStreams.load(d.transactionId);
    // The read model only holds decisions the log has: a missing event is a broken store, never "no value".
    if (!record) throw new Error(`decision ${d.decisionId} is in the read model but its stream decision-${d.transactionId} holds no DecisionMade`);
    return record;
  }
}
