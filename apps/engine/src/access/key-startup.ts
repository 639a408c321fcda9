import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { VerdictConfig } from '@verdict/config';
import { LOGGER, VERDICT_CONFIG } from '../infrastructure/tokens';
import { KeyDirectory } from './key-directory';

/**
 * Reads the keys before anything is served, and on a log that has none creates the admin key: an engine is closed
 * from its first request, and its operator finds the way in at a path the log names.
 */
@Injectable()
export class KeyStartup implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly keys: KeyDirectory,
    @Inject(VERDICT_CONFIG) private readonly config: VerdictConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const written = await this.keys.ensureAdminKey(this.config.security.adminKeyPath);
    if (written) this.log.info({ file: written }, 'no API key existed: created an admin key and wrote it to this file (mode 0600); create narrower keys with `verdict keys create`');
    await this.keys.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.keys.stop();
  }
}
