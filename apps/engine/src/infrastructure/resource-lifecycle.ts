import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EventStore } from '@verdict/event-store';
import type { ModelRuntime } from '@verdict/model-runtime';
import type { DataSource } from 'typeorm';
import { InlineProjections } from '../projections/inline-projections';
import { EVENT_STORE, LOGGER, MODEL_RUNTIME, READ_MODEL_DATA_SOURCE } from './tokens';

/**
 * Closes what the engine opened, in dependency order: projections first (they read the store and write the read
 * model), then the event store (which flushes pending group commits), then the read model and the model session.
 */
@Injectable()
export class ResourceLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly projections: InlineProjections,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly readModels: DataSource,
    @Inject(MODEL_RUNTIME) private readonly model: ModelRuntime,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    const steps: [string, () => Promise<unknown>][] = [
      ['projections', () => this.projections.stop()],
      ['event store', () => this.store.close()],
      ['read models', () => (this.readModels.isInitialized ? this.readModels.destroy() : Promise.resolve())],
      ['model', () => this.model.close()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.log.error({ err: error }, `closing ${name} failed`);
      }
    }
  }
}
