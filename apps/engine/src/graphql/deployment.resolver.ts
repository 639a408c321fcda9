import { Args, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { DeploymentAt, type DeploymentAtView } from '../deployment/deployment-at';
import { DateTimeScalar } from './date-time.scalar';
import { Policy } from './decision.types';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';

export enum ChallengerMode {
  canary = 'canary',
  shadow = 'shadow',
}
registerEnumType(ChallengerMode, { name: 'ChallengerMode', description: 'canary: decides its share of traffic; shadow: scores beside the champion, never decides' });

export enum RoutingKey {
  cardId = 'cardId',
  customerId = 'customerId',
  merchantId = 'merchantId',
  transactionId = 'transactionId',
}
registerEnumType(RoutingKey, { name: 'RoutingKey', description: 'The request field whose hash routes it (sticky routing)' });

@ObjectType({ description: 'A deployed model version' })
export class DeployedModel {
  @Field() name!: string;
  @Field() version!: string;
  @Field() sha256!: string;
  @Field() servedSha256!: string;
}

@ObjectType({ description: 'The previous champion, kept loaded for an instant rollback' })
export class Standby {
  @Field(() => DeployedModel) model!: DeployedModel;
  @Field(() => Policy) policy!: Policy;
}

@ObjectType()
export class Challenger {
  @Field(() => ID) deploymentId!: string;
  @Field(() => DeployedModel) model!: DeployedModel;
  @Field(() => ChallengerMode) mode!: ChallengerMode;
  @Field(() => Float, { description: 'canary: share of traffic it decides; shadow: share of requests it also scores (0–100)' }) trafficPercent!: number;
  @Field(() => RoutingKey) routingKey!: RoutingKey;
  @Field(() => Policy) policy!: Policy;
  @Field(() => DateTimeScalar) since!: Date;
}

@ObjectType({ description: 'A deployment event behind the state' })
export class DeploymentEvent {
  @Field(() => Int) revision!: number;
  @Field({ description: 'ChampionChanged, ChallengerDeployed, PolicyChanged, …' }) type!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field() actor!: string;
  @Field() reason!: string;
}

@ObjectType({ description: 'The deployment as it stood at an instant' })
export class Deployment {
  @Field(() => DateTimeScalar, { description: 'The instant asked about' }) at!: Date;
  @Field(() => Int, { description: 'Deployment events applied by then (0: nothing deployed yet)' }) revision!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it last changed before `at`' }) since!: Date | null;
  @Field(() => DeployedModel, { nullable: true }) champion!: DeployedModel | null;
  @Field(() => Policy, { nullable: true, description: "The champion's policy" }) policy!: Policy | null;
  @Field(() => Standby, { nullable: true }) standby!: Standby | null;
  @Field(() => Challenger, { nullable: true }) challenger!: Challenger | null;
  @Field(() => [DeploymentEvent], { description: 'For each part in force, the last event that set it, oldest first' }) events!: DeploymentEvent[];
}

const model = (m: DeployedModel): DeployedModel => ({ name: m.name, version: m.version, sha256: m.sha256, servedSha256: m.servedSha256 });

function toDeployment(v: DeploymentAtView): Deployment {
  const c = v.challenger;
  return {
    at: new Date(v.at),
    revision: v.revision,
    since: v.since === null ? null : new Date(v.since),
    champion: v.champion && model(v.champion),
    policy: v.policy,
    standby: v.standby && { model: model(v.standby.model), policy: v.standby.policy },
    challenger: c && {
      deploymentId: c.deploymentId,
      model: model(c.model),
      mode: c.mode as ChallengerMode,
      trafficPercent: c.trafficPercent,
      routingKey: c.routingKey as RoutingKey,
      policy: c.policy,
      since: new Date(c.since),
    },
    events: v.events.map((e) => ({ revision: e.revision, type: e.type, at: new Date(e.at), actor: e.actor, reason: e.reason })),
  };
}

/** deployment(at): "what was live at T", folded from the deployment stream as GET /v1/deployment?at= does. */
@Roles('analyze', 'operate')
@GuardedByRoles()
@Resolver(() => Deployment)
export class DeploymentResolver {
  constructor(private readonly deploymentAt: DeploymentAt) {}

  @Query(() => Deployment, { description: 'The deployment in force at `at` (default: now), from the deployment stream itself' })
  async deployment(@Args('at', { type: () => DateTimeScalar, nullable: true }) at: Date | null): Promise<Deployment> {
    return toDeployment(await this.deploymentAt.at(at ?? new Date()));
  }
}
