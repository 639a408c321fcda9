import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from './date-time.scalar';

@ObjectType({ description: 'Labelled decisions by recorded outcome and label (decline is the positive call)' })
export class ConfusionCounts {
  @Field(() => Int) declinedFraud!: number;
  @Field(() => Int) declinedLegitimate!: number;
  @Field(() => Int) approvedFraud!: number;
  @Field(() => Int) approvedLegitimate!: number;
  @Field(() => Int) reviewedFraud!: number;
  @Field(() => Int) reviewedLegitimate!: number;
}

@ObjectType()
export class FraudAmount {
  @Field(() => Float, { description: 'Fraud declined' }) caught!: number;
  @Field(() => Float, { description: 'Fraud sent to review' }) reviewed!: number;
  @Field(() => Float, { description: 'Fraud approved' }) missed!: number;
}

@ObjectType()
export class LabelledCounts {
  @Field(() => Int) fraud!: number;
  @Field(() => Int) legitimate!: number;
}

@ObjectType({ description: 'Figures against labels as known at asOf; null where a ratio has no denominator' })
export class PerformanceFigures {
  @Field(() => Int) decisions!: number;
  @Field(() => LabelledCounts) labelled!: LabelledCounts;
  @Field(() => Float, { nullable: true, description: 'Labelled decisions ÷ decisions' }) labelCoverage!: number | null;
  @Field(() => ConfusionCounts) confusion!: ConfusionCounts;
  @Field(() => Float, { nullable: true }) precision!: number | null;
  @Field(() => Float, { nullable: true, description: 'Declined fraud ÷ all fraud' }) recall!: number | null;
  @Field(() => Float, { nullable: true, description: 'Declined legitimate ÷ all legitimate' }) falsePositiveRate!: number | null;
  @Field(() => Float, { nullable: true }) declineRate!: number | null;
  @Field(() => Float, { nullable: true }) reviewRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'From the score histograms of fraud and legitimate decisions' }) rocAuc!: number | null;
  @Field(() => FraudAmount) fraudAmount!: FraudAmount;
}

@ObjectType()
export class ArmPerformance {
  @Field() arm!: string;
  @Field(() => PerformanceFigures) figures!: PerformanceFigures;
}

@ObjectType()
export class DayPerformance {
  @Field({ description: 'UTC day, YYYY-MM-DD' }) day!: string;
  @Field(() => PerformanceFigures) figures!: PerformanceFigures;
}

@ObjectType({ description: "The model card's figures (its manifest metrics), for the same definitions" })
export class CardFigures {
  @Field(() => Float, { nullable: true }) precision!: number | null;
  @Field(() => Float, { nullable: true }) recall!: number | null;
  @Field(() => Float, { nullable: true }) falsePositiveRate!: number | null;
  @Field(() => Float, { nullable: true }) rocAuc!: number | null;
  @Field(() => String, { nullable: true, description: 'Which metrics of the manifest, e.g. metrics.test' }) source!: string | null;
}

@ObjectType({ description: "Observed minus the card's figure" })
export class AgainstCard {
  @Field(() => Float, { nullable: true }) precision!: number | null;
  @Field(() => Float, { nullable: true }) recall!: number | null;
  @Field(() => Float, { nullable: true }) falsePositiveRate!: number | null;
  @Field(() => Float, { nullable: true }) rocAuc!: number | null;
}

@ObjectType({ description: 'A model version measured against what really happened (GET …/versions/{version}/performance)' })
export class ModelPerformance {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => DateTimeScalar, { description: 'Only labels reported before this count' }) asOf!: Date;
  @Field(() => String, { nullable: true }) arm!: string | null;
  @Field({ description: 'How unlabelled decisions count: legitimate or excluded' }) unlabelled!: string;
  @Field(() => PerformanceFigures) overall!: PerformanceFigures;
  @Field(() => [ArmPerformance]) byArm!: ArmPerformance[];
  @Field(() => [DayPerformance]) byDay!: DayPerformance[];
  @Field(() => CardFigures) card!: CardFigures;
  @Field(() => AgainstCard) againstCard!: AgainstCard;
}

@ObjectType({ description: "One series' drift in one window (PSI and two-sample KS against the baseline)" })
export class SeriesDrift {
  @Field({ description: 'A feature, or score' }) feature!: string;
  @Field(() => Float) psi!: number;
  @Field(() => Float) ks!: number;
  @Field(() => Float, { nullable: true, description: 'PSI above it is a breach; null: reported, never judged' }) threshold!: number | null;
  @Field() breached!: boolean;
}

@ObjectType()
export class DriftWindow {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field({ description: 'Ended (plus a grace): its figures are final' }) closed!: boolean;
  @Field(() => Int) decisions!: number;
  @Field({ description: 'Enough decisions and a baseline to judge it' }) judged!: boolean;
  @Field(() => [SeriesDrift]) features!: SeriesDrift[];
}

@ObjectType({ description: 'What drift is measured against' })
export class DriftBaseline {
  @Field({ description: 'training (the manifest statistics) or first-window' }) kind!: string;
  @Field(() => DateTimeScalar, { nullable: true }) windowFrom!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) windowTo!: Date | null;
  @Field(() => Int, { nullable: true }) decisions!: number | null;
}

@ObjectType({ description: "A version's drift per window (GET /v1/monitoring/drift)" })
export class VersionDrift {
  @Field(() => Int) windowSeconds!: number;
  @Field(() => Int, { description: 'Decisions a window needs to be judged' }) minDecisions!: number;
  @Field(() => DriftBaseline, { nullable: true, description: 'null until a version without training statistics has a full window' }) baseline!: DriftBaseline | null;
  @Field(() => [DriftWindow]) windows!: DriftWindow[];
}
