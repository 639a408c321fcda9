import type { DeployedModel, DeploymentState, ModelVersionRegisteredV1 } from '@verdict/domain';
import type { LoadedModel } from './loaded-model';
import type { ModelLoader } from './model-loader';
import { RoutingTable } from './routing-table';
import { withSortedKeys } from '@verdict/domain';

/** Finds what the registry recorded for a deployed version (its manifest says how to feed it). */
export type RegisteredVersionLookup = (model: DeployedModel) => Promise<ModelVersionRegisteredV1>;

export class DeploymentNotReadyError extends Error {
  constructor() {
    super('No champion is deployed yet');
    this.name = 'DeploymentNotReadyError';
  }
}

/**
 * The deployment this instance decides with. Applying a state loads and warms every session it needs first, then
 * swaps the routing table in one assignment; the old table is retired, and its sessions close once the requests
 * that started on them are done. States are applied one at a time, in revision order.
 */
export class DeploymentRuntime {
  private table: RoutingTable | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly revisionWaiters = new Set<{ revision: number; resolve: () => void }>();

  constructor(
    private readonly loader: ModelLoader,
    private readonly lookup: RegisteredVersionLookup,
  ) {}

  /** The table in force, or undefined before the first champion. */
  current(): RoutingTable | undefined {
    return this.table;
  }

  /** The table in force; throws DeploymentNotReadyError before the first champion. */
  require(): RoutingTable {
    if (this.table === undefined) throw new DeploymentNotReadyError();
    return this.table;
  }

  get revision(): number {
    return this.table?.revision ?? 0;
  }

  /**
   * Makes `state` the one in force here (no-op for a revision already applied). Resolves once it is, i.e. once the
   * new sessions are loaded and the table swapped; rejects if a model cannot be loaded (the old table stays).
   */
  apply(state: DeploymentState | (() => DeploymentState)): Promise<void> {
    const run = this.queue.then(() => this.swap(typeof state === 'function' ? state() : state));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once a state of at least `revision` is in force (a change made by another instance, for example). */
  waitForRevision(revision: number): Promise<void> {
    if (this.revision >= revision) return Promise.resolve();
    return new Promise((resolve) => this.revisionWaiters.add({ revision, resolve }));
  }

  /** Retires the table (sessions close when the last request in flight finishes). */
  async close(): Promise<void> {
    await this.queue;
    const table = this.table;
    this.table = undefined;
    table?.retire();
    await Promise.all([table?.champion.model.closed(), table?.challenger?.model.closed(), table?.standby?.closed()]);
  }

  private async swap(state: DeploymentState): Promise<void> {
    if (state.revision <= this.revision || state.champion === null || state.policy === null) return;
    const acquired: LoadedModel[] = [];
    const load = async (model: DeployedModel): Promise<LoadedModel> => {
      // The log has these in force already: a failed trial is warned about, never a reason to stop serving.
      const loaded = await this.loader.acquire(await this.lookup(model), 'warn');
      acquired.push(loaded);
      return loaded;
    };
    let table: RoutingTable;
    try {
      const [champion, challenger, standby] = await Promise.all([
        load(state.champion),
        state.challenger ? load(state.challenger.model) : null,
        state.standby ? load(state.standby.model) : null,
      ]);
      const c = state.challenger;
      table = new RoutingTable(
        state.revision,
        state,
        { model: champion, policy: withSortedKeys(state.policy) },
        c && challenger
          ? { model: challenger, policy: withSortedKeys(c.policy), deploymentId: c.deploymentId, mode: c.mode, trafficPercent: c.trafficPercent, routingKey: c.routingKey }
          : null,
        standby,
      );
    } catch (error) {
      for (const m of acquired) m.release();
      throw error;
    }
    const previous = this.table;
    this.table = table;
    previous?.retire();
    for (const waiter of this.revisionWaiters) {
      if (waiter.revision <= table.revision) {
        this.revisionWaiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
