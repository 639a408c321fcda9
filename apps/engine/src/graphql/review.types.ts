import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { PageInfo } from './decision-connection.types';
import { Arm, Decision } from './decision.types';

export enum ReviewStatus {
  open = 'open',
  claimed = 'claimed',
  resolved = 'resolved',
}
registerEnumType(ReviewStatus, { name: 'ReviewStatus', description: 'Where a decision sent to review stands (an expired claim is open again)' });

export enum ReviewOrder {
  score = 'score',
  age = 'age',
}
registerEnumType(ReviewOrder, { name: 'ReviewOrder', description: 'score: highest first; age: oldest first' });

@ObjectType({ description: "A reviewer's claim, which lapses at expiresAt" })
export class ReviewClaim {
  @Field() reviewer!: string;
  @Field(() => DateTimeScalar) claimedAt!: Date;
  @Field(() => DateTimeScalar) expiresAt!: Date;
}

@ObjectType({ description: 'How a review ended (recorded with a label of source review)' })
export class ReviewResolution {
  @Field() resolution!: string;
  @Field() reviewer!: string;
  @Field(() => DateTimeScalar) resolvedAt!: Date;
  @Field(() => String, { nullable: true }) note!: string | null;
}

@ObjectType({ description: 'A decision with outcome review, in the review queue (GET /v1/reviews)' })
export class Review {
  @Field(() => Decision) decision!: Decision;
  @Field(() => ReviewStatus) status!: ReviewStatus;
  @Field(() => ReviewClaim, { nullable: true }) claim!: ReviewClaim | null;
  @Field(() => ReviewResolution, { nullable: true }) resolution!: ReviewResolution | null;
}

@ObjectType()
export class ReviewEdge {
  @Field({ description: 'Opaque; the same cursors as GET /v1/reviews' }) cursor!: string;
  @Field(() => Review) node!: Review;
}

@ObjectType({ description: 'A page of the review queue' })
export class ReviewConnection {
  @Field(() => [ReviewEdge]) edges!: ReviewEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType({ description: 'The filters of GET /v1/reviews' })
export class ReviewFilter {
  @Field(() => ReviewStatus, { nullable: true, defaultValue: ReviewStatus.open }) status?: ReviewStatus;
  @Field(() => ReviewOrder, { nullable: true, defaultValue: ReviewOrder.score }) order?: ReviewOrder;
  @Field(() => String, { nullable: true }) cardId?: string;
  @Field(() => String, { nullable: true }) customerId?: string;
  @Field(() => String, { nullable: true }) merchantId?: string;
  @Field(() => String, { nullable: true }) model?: string;
  @Field(() => String, { nullable: true, description: 'One version of `model` (needs `model`)' }) modelVersion?: string;
  @Field(() => Arm, { nullable: true }) arm?: Arm;
  @Field(() => DateTimeScalar, { nullable: true, description: 'decidedAt ≥ from' }) from?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'decidedAt < to' }) to?: Date;
}
