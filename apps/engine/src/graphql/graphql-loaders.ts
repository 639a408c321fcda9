import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { ModelList } from '@verdict/read-models';
import { MODEL_LIST } from '../infrastructure/tokens';
import type { ModelListQueriesPort } from '../models/model-list.port';
import type { DecisionStream, DecisionStreamsPort } from './decision-streams';
import { DECISION_STREAMS } from './graphql.tokens';

/** Marks a subscription's context: its loaders batch but never cache (it lives as long as the subscription). */
export const LIVE_CONTEXT = 'verdictLive';

/**
 * One operation's loads: every decision stream asked for while resolving one level of a query is read in one batch,
 * and each is read once per operation; the registry list is read once per operation.
 */
export class GraphqlLoaders {
  readonly decisionStreams: DataLoader<string, DecisionStream>;
  private listed: Promise<ModelList> | undefined;

  constructor(
    streams: DecisionStreamsPort,
    private readonly registry: ModelListQueriesPort,
    private readonly cache: boolean,
  ) {
    this.decisionStreams = new DataLoader((ids) => streams.read(ids), { cache });
  }

  /** The registry's read model (every model and its versions). */
  modelList(): Promise<ModelList> {
    if (!this.cache) return this.registry.list();
    return (this.listed ??= this.registry.list());
  }
}

/** Hands each GraphQL operation (keyed by its context object) its own loaders. */
@Injectable()
export class GraphqlLoaderFactory {
  private readonly byContext = new WeakMap<object, GraphqlLoaders>();

  constructor(
    @Inject(DECISION_STREAMS) private readonly streams: DecisionStreamsPort,
    @Inject(MODEL_LIST) private readonly models: ModelListQueriesPort,
  ) {}

  of(context: object): GraphqlLoaders {
    let loaders = this.byContext.get(context);
    if (!loaders) {
      loaders = new GraphqlLoaders(this.streams, this.models, !(context as Record<string, unknown>)[LIVE_CONTEXT]);
      this.byContext.set(context, loaders);
    }
    return loaders;
  }
}
