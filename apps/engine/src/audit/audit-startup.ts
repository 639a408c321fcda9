import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SealerThread } from './sealer-thread';

/**
 * Starts the sealer thread with the engine and stops it before shutdown closes the store (Nest calls every
 * beforeApplicationShutdown before any onApplicationShutdown, where ResourceLifecycle closes the store).
 */
@Injectable()
export class AuditStartup implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly sealer: SealerThread) {}

  onApplicationBootstrap(): Promise<void> {
    return this.sealer.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sealer.stop();
  }
}
