import { Args, Context, Field, ID, ObjectType, Parent, Query, ResolveField, Resolver, registerEnumType } from '@nestjs/graphql';
import type { ModelListVersion } from '@verdict/read-models';
import { DeploymentFollower } from '../deployment/deployment-follower';
import { deployedAs, type DeploymentRole as Role } from '../models/model-views';
import { DateTimeScalar } from './date-time.scalar';
import { GraphqlLoaderFactory } from './graphql-loaders';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';

export enum DeploymentRole {
  champion = 'champion',
  standby = 'standby',
  challenger = 'challenger',
}
registerEnumType(DeploymentRole, { name: 'DeploymentRole', description: 'Where a version is in the deployment' });

@ObjectType({ description: 'A registered version of a model (the registry read model)' })
export class ModelVersion {
  @Field({ description: "The model's name" }) name!: string;
  @Field() version!: string;
  @Field({ description: 'sha256 of the bytes as uploaded' }) sha256!: string;
  @Field({ description: 'sha256 of the bytes served (differs when the registry rewrote the graph, e.g. ZipMap)' }) servedSha256!: string;
  @Field(() => DateTimeScalar) registeredAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) retiredAt!: Date | null;
  @Field({ description: 'Whether it can decide (its manifest names features), not only serve raw inference' }) decides!: boolean;
}

@ObjectType({ description: 'A model in the registry' })
export class Model {
  @Field(() => ID) name!: string;
  @Field(() => [ModelVersion], { description: 'In registration order' }) versions!: ModelVersion[];
}

const toVersion = (name: string, v: ModelListVersion): ModelVersion => ({
  name,
  version: v.version,
  sha256: v.sha256,
  servedSha256: v.servedSha256,
  registeredAt: new Date(v.registeredAt),
  retiredAt: v.retiredAt === null ? null : new Date(v.retiredAt),
  decides: v.decides,
});

/** models and model(name), from the registry's read model (read once per operation). */
@Roles('analyze', 'operate')
@GuardedByRoles()
@Resolver(() => Model)
export class ModelResolver {
  constructor(private readonly loaders: GraphqlLoaderFactory) {}

  @Query(() => [Model], { description: 'Every registered model, by name' })
  async models(@Context() ctx: object): Promise<Model[]> {
    const { items } = await this.loaders.of(ctx).modelList();
    return items.map((m) => ({ name: m.name, versions: m.versions.map((v) => toVersion(m.name, v)) }));
  }

  @Query(() => Model, { nullable: true, description: 'null when no version of the model has been registered' })
  async model(@Args('name', { type: () => ID }) name: string, @Context() ctx: object): Promise<Model | null> {
    const found = (await this.loaders.of(ctx).modelList()).items.find((m) => m.name === name);
    return found ? { name: found.name, versions: found.versions.map((v) => toVersion(found.name, v)) } : null;
  }
}

/** Fields of a version that come from elsewhere than the registry row. */
@Resolver(() => ModelVersion)
export class ModelVersionResolver {
  constructor(private readonly follower: DeploymentFollower) {}

  @ResolveField(() => [DeploymentRole], { description: 'Its roles in the deployment this instance knows now' })
  deployedAs(@Parent() v: ModelVersion): Role[] {
    return deployedAs(this.follower.latest(), v.name, v.version);
  }
}
