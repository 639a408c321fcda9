import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';
import { PageInfo } from './decision-connection.types';
import { JsonScalar } from './json.scalar';

export enum AlertType {
  DriftDetected = 'DriftDetected',
  PerformanceDegraded = 'PerformanceDegraded',
  ChallengerRolledBack = 'ChallengerRolledBack',
}
registerEnumType(AlertType, { name: 'AlertType', description: 'The events that are alerts' });

@ObjectType({ description: 'An alert: an event an operator or analyst must look at (GET /v1/alerts)' })
export class Alert {
  @Field(() => ID, { description: "The event's id" }) alertId!: string;
  @Field(() => AlertType) type!: AlertType;
  @Field(() => String, { nullable: true, description: 'The model it concerns' }) model!: string | null;
  @Field(() => String, { nullable: true, description: 'The model version it concerns' }) version!: string | null;
  @Field(() => DateTimeScalar) raisedAt!: Date;
  @Field({ description: "The event's log position (decimal)" }) position!: string;
  @Field({ description: 'One line saying what happened' }) summary!: string;
  @Field(() => JsonScalar, { description: "The event's data (DriftDetected, PerformanceDegraded or ChallengerRolledBack, docs/events.md)" }) data!: unknown;
}

@ObjectType()
export class AlertEdge {
  @Field({ description: 'Opaque; the same cursors as GET /v1/alerts' }) cursor!: string;
  @Field(() => Alert) node!: Alert;
}

@ObjectType({ description: 'A page of alerts, newest first' })
export class AlertConnection {
  @Field(() => [AlertEdge]) edges!: AlertEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType({ description: 'The filters of GET /v1/alerts' })
export class AlertFilter {
  @Field(() => AlertType, { nullable: true }) type?: AlertType;
  @Field(() => String, { nullable: true }) model?: string;
}
