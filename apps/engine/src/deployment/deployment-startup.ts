import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { VerdictConfig } from '@verdict/config';
import { HotPathWarmup } from '../decisions/hot-path-warmup';
import { VERDICT_CONFIG } from '../infrastructure/tokens';
import { CanaryAnalyst } from './canary-analyst';
import { DeploymentBootstrap } from './deployment-bootstrap';
import { DeploymentFollower } from './deployment-follower';
import { DeploymentRuntime } from './deployment-runtime';

/**
 * Before the engine listens: follow the deployment (loading its sessions), bootstrap one if there is none, judge the
 * challenger in force if it has an analysis, and warm the decision path on the deployment in force (if one is).
 */
@Injectable()
export class DeploymentStartup implements OnApplicationBootstrap {
  constructor(
    private readonly follower: DeploymentFollower,
    private readonly bootstrap: DeploymentBootstrap,
    private readonly analyst: CanaryAnalyst,
    private readonly runtime: DeploymentRuntime,
    private readonly warmup: HotPathWarmup,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.follower.start();
    await this.bootstrap.run();
    this.analyst.start();
    if (this.runtime.current()) await this.warmup.run(this.config.warmupDecisions);
  }
}
