import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CanaryAnalyst } from './canary-analyst';
import { DeploymentBootstrap } from './deployment-bootstrap';
import { DeploymentFollower } from './deployment-follower';

/**
 * Before the engine listens: follow the deployment (loading its sessions), bootstrap one if there is none, and
 * judge the challenger in force if it has an analysis.
 */
@Injectable()
export class DeploymentStartup implements OnApplicationBootstrap {
  constructor(
    private readonly follower: DeploymentFollower,
    private readonly bootstrap: DeploymentBootstrap,
    private readonly analyst: CanaryAnalyst,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.follower.start();
    await this.bootstrap.run();
    this.analyst.start();
  }
}
