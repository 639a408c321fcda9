import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { Arm, Decision, Outcome } from './decision.types';

@ObjectType({ description: 'Relay page info. Pages go forward only (newest first), so hasPreviousPage is always false.' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' }) endCursor!: string | null;
}

@ObjectType()
export class DecisionEdge {
  @Field({ description: 'Opaque; stable while new decisions arrive (the same cursors as GET /v1/decisions)' }) cursor!: string;
  @Field(() => Decision) node!: Decision;
}

@ObjectType({ description: 'A page of decisions, newest first (highest log position first)' })
export class DecisionConnection {
  @Field(() => [DecisionEdge]) edges!: DecisionEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType({ description: 'The filters of GET /v1/decisions' })
export class DecisionFilter {
  @Field(() => String, { nullable: true }) cardId?: string;
  @Field(() => String, { nullable: true }) customerId?: string;
  @Field(() => String, { nullable: true }) merchantId?: string;
  @Field(() => Outcome, { nullable: true }) outcome?: Outcome;
  @Field(() => String, { nullable: true, description: 'The model (name) that decided' }) model?: string;
  @Field(() => String, { nullable: true, description: 'One version of `model` (needs `model`)' }) modelVersion?: string;
  @Field(() => Arm, { nullable: true }) arm?: Arm;
  @Field(() => DateTimeScalar, { nullable: true, description: 'decidedAt ≥ from' }) from?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'decidedAt < to' }) to?: Date;
}

@InputType({ description: 'Which decisions a decisionMade subscription receives; every given condition must hold' })
export class DecisionMadeFilter {
  @Field(() => Outcome, { nullable: true }) outcome?: Outcome;
  @Field(() => String, { nullable: true }) cardId?: string;
  @Field(() => String, { nullable: true }) merchantId?: string;
  @Field(() => Float, { nullable: true, description: 'score ≥ minScore' }) minScore?: number;
}
