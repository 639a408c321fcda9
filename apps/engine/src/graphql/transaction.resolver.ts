import { Args, Context, Field, ID, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { SAFE_ID } from '@verdict/domain';
import type { DecisionStream } from './decision-streams';
import { fromRecord, type DecisionNode } from './decision-node';
import { Decision, Label, STREAM_FIELD_COST } from './decision.types';
import { GraphqlLoaderFactory } from './graphql-loaders';
import { toLabel } from './labels';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';
import { RecordsAccess } from '../access/access-recording.interceptor';
import { PersonalData } from '../privacy/personal-data';

@ObjectType({ description: 'A transaction Verdict decided on: its decision and what became known about it since' })
export class Transaction {
  @Field(() => ID) transactionId!: string;
}

type TransactionNode = Transaction & { readonly stream: DecisionStream & { readonly record: NonNullable<DecisionStream['record']> } };

/** transaction(id): read straight from the stream `decision-<id>` (no read-model lag), like GET /v1/transactions/{id}/decision. */
@Roles('analyze')
@GuardedByRoles()
@RecordsAccess()
@Resolver(() => Transaction)
export class TransactionResolver {
  constructor(
    private readonly loaders: GraphqlLoaderFactory,
    private readonly personal: PersonalData,
  ) {}

  @Query(() => Transaction, { nullable: true, complexity: STREAM_FIELD_COST, description: 'null when no decision has been recorded for the transaction' })
  async transaction(@Args('id', { type: () => ID }) id: string, @Context() ctx: object): Promise<TransactionNode | null> {
    if (!SAFE_ID.test(id)) return null;
    const stream = await this.loaders.of(ctx).decisionStreams.load(id);
    return stream.record ? { transactionId: id, stream: { ...stream, record: stream.record } } : null;
  }

  /** The stream's record is as stored: its personal fields are shown in the clear (or erased) here. */
  @ResolveField(() => Decision)
  async decision(@Parent() t: TransactionNode): Promise<DecisionNode> {
    return fromRecord(await this.personal.revealDecision(t.stream.record));
  }

  @ResolveField(() => [Label], { description: 'TransactionLabelled events, in the order they were recorded (later ones supersede earlier ones)' })
  labels(@Parent() t: TransactionNode): Label[] {
    return t.stream.labels.map(toLabel);
  }
}
