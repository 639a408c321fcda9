import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

/**
 * Fields read from the decision's own event stream rather than the read model's summary row: in a list they cost a
 * stream read per decision (batched, see decision-streams.ts), so the complexity estimate charges them more.
 */
export const STREAM_FIELD_COST = 3;

export enum Outcome {
  approve = 'approve',
  review = 'review',
  decline = 'decline',
}
registerEnumType(Outcome, { name: 'Outcome', description: "The policy's answer to a decision request" });

export enum Arm {
  champion = 'champion',
  challenger = 'challenger',
}
registerEnumType(Arm, { name: 'Arm', description: 'The deployment arm that decided' });

export enum LabelValue {
  fraud = 'fraud',
  legitimate = 'legitimate',
}
registerEnumType(LabelValue, { name: 'LabelValue', description: 'What a transaction turned out to be' });

@ObjectType({ description: 'The model version that scored a decision' })
export class DecisionModel {
  @Field() name!: string;
  @Field() version!: string;
  @Field({ description: 'sha256 of the exact bytes the runtime loaded' }) sha256!: string;
}

@ObjectType({ description: 'Thresholds under a versioned name: score ≥ decline → decline; ≥ review → review; else approve' })
export class Policy {
  @Field() version!: string;
  @Field(() => Float) reviewThreshold!: number;
  @Field(() => Float) declineThreshold!: number;
}

@ObjectType({ description: 'A feature that moved the score: how much the score changes when it is replaced by its baseline' })
export class Reason {
  @Field() feature!: string;
  @Field(() => Float, { description: 'The value fed to the model (float32)' }) value!: number;
  @Field(() => Float) contribution!: number;
}

@ObjectType({ description: 'One column of the input row, exactly as fed to the model' })
export class FeatureValue {
  @Field() name!: string;
  @Field(() => Float) value!: number;
}

@ObjectType({ description: 'Time spent deciding, before the durable append' })
export class DecisionTimings {
  @Field(() => Float) featuresMs!: number;
  @Field(() => Float) inferenceMs!: number;
  @Field(() => Float) totalMs!: number;
}

@ObjectType({ description: "In shadow mode: the challenger's verdict on the same request. It never changed the decision." })
export class ShadowVerdict {
  @Field(() => DecisionModel) model!: DecisionModel;
  @Field(() => Policy) policy!: Policy;
  @Field(() => Float, { nullable: true, description: 'null when the shadow run failed' }) score!: number | null;
  @Field(() => Outcome, { nullable: true }) outcome!: Outcome | null;
  @Field(() => Float) inferenceMs!: number;
  @Field(() => String, { nullable: true, description: 'Why the shadow run failed' }) error!: string | null;
}

@ObjectType({ description: 'A TransactionLabelled event: what became known about the transaction after its decision' })
export class Label {
  @Field(() => ID) labelId!: string;
  @Field(() => LabelValue) label!: LabelValue;
  @Field({ description: 'Where it came from: chargeback, review, customer-report or manual' }) source!: string;
  @Field(() => DateTimeScalar, { description: 'When it became known: the label counts from here, never earlier' }) reportedAt!: Date;
  @Field(() => Float, { nullable: true, description: "The amount concerned, when not the whole transaction's" }) amount!: number | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field({ description: "Who recorded it (the caller's actor, or review:<reviewer> for a review's resolution)" }) recordedBy!: string;
}

/**
 * One recorded decision (a DecisionMade event). The scalar fields come from the read model's summary row in a
 * list, or from the event itself; the rest is read from the event on demand. The complete event, byte for byte, is
 * GET /v1/decisions/{decisionId}.
 */
@ObjectType({ description: 'A recorded decision (its DecisionMade event)' })
export class Decision {
  @Field(() => ID) decisionId!: string;
  @Field(() => ID) transactionId!: string;
  @Field({ description: "The event's place in the global log, exact, as a decimal string" }) position!: string;
  @Field(() => Outcome) outcome!: Outcome;
  @Field(() => Float) score!: number;
  @Field(() => DateTimeScalar, { description: 'When the transaction happened (from the request)' }) occurredAt!: Date;
  @Field(() => DateTimeScalar) decidedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When the event store recorded the event' }) recordedAt!: Date;
  @Field() cardId!: string;
  @Field(() => String, { nullable: true }) customerId!: string | null;
  @Field() merchantId!: string;
  @Field(() => Float) amount!: number;
  @Field() currency!: string;
  @Field(() => String, { nullable: true }) channel!: string | null;
  @Field(() => String, { nullable: true }) country!: string | null;
  @Field(() => DecisionModel) model!: DecisionModel;
  @Field(() => Arm) arm!: Arm;
  @Field(() => Int, { description: 'The deployment revision in force (0: made before deployments existed)' }) deploymentRevision!: number;
}
