import { Inject, Injectable, Optional } from '@nestjs/common';
import { TRANSACTION_LABELLED, upcastTransactionLabelled, type JsonValue, type ModelManifest, type PolicySnapshot, type TransactionLabelled } from '@verdict/domain';
import type { EventStore } from '@verdict/event-store';
import { SEAL_INDEX, type SealIndex } from '../audit/seal-index.port';
import { PersonalData } from '../privacy/personal-data';
import { toAuditRecord, type DecisionAuditRecord } from '../decisions/decision-audit-record';
import { DecisionLocator } from '../decisions/decision-locator';
import { toDecisionListItem, type DecisionListItem } from '../decisions/decision-page';
import type { DecisionRangesPort } from '../decisions/decision-ranges.port';
import { DeploymentAt, type DeploymentAtView } from '../deployment/deployment-at';
import { DECISION_RANGES, EVENT_STORE } from '../infrastructure/tokens';
import { ModelCatalog, RegisteredVersionNotFoundError } from '../models/model-catalog';
import { toSealJson, type SealJson } from '../exports/seal-reference';

/** Decisions of the same card shown on each side of the one in question. */
export const CARD_NEIGHBOURS = 10;

/** The registered version that decided, as the registry recorded it. */
export interface DecidingModel {
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
  readonly servedSha256: string;
  readonly registeredAt: string;
  /** The registered served bytes are the ones the decision records (`decision.model.sha256`). */
  readonly matchesDecision: boolean;
  readonly manifest: ModelManifest;
  /** The model card's figures (`manifest.metrics`); null when the manifest has none. */
  readonly metrics: JsonValue;
}

/** GET /v1/decisions/{id}/context: everything an auditor asks about one decision, in one answer. */
export interface DecisionContext {
  readonly decision: DecisionAuditRecord;
  /** The deployment the decision was made under (its recorded revision), at `decision.decidedAt`, with the events that made it so. */
  readonly deployment: DeploymentAtView;
  /** null when the version is not in the registry (decisions made before it existed). */
  readonly model: DecidingModel | null;
  /** The policy as recorded in the decision (the thresholds that produced its outcome). */
  readonly policy: PolicySnapshot;
  /** TransactionLabelled events of the transaction, in stream order. */
  readonly labels: TransactionLabelled[];
  /** The seal covering the decision's position; null when not sealed yet. */
  readonly seal: SealJson | null;
  /** Where sealing stands, when this engine has a seal index; null without one. */
  readonly sealing: { readonly sealedThrough: string; readonly nextSealDueBy: string } | null;
  /** The card's decisions just before and just after this one, by log position, from the read model. */
  readonly card: { readonly cardId: string; readonly before: DecisionListItem[]; readonly after: DecisionListItem[] };
}

/** Assembles a decision's context; every part comes from the store except the card's neighbours (read model). */
@Injectable()
export class DecisionContextReader {
  constructor(
    private readonly locator: DecisionLocator,
    private readonly deploymentAt: DeploymentAt,
    private readonly catalog: ModelCatalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_RANGES) private readonly ranges: DecisionRangesPort,
    private readonly personal: PersonalData,
    @Optional() @Inject(SEAL_INDEX) private readonly seals: SealIndex | null = null,
  ) {}

  /** null when no decision has this id. */
  async read(decisionId: string): Promise<DecisionContext | null> {
    const event = await this.locator.find(decisionId);
    if (!event) return null;
    const decision = await toAuditRecord(event, this.personal);
    const [deployment, model, stream, sealed, card] = await Promise.all([
      this.deploymentAt.ofDecision(decision),
      this.decidingModel(decision),
      this.store.readStream(event.streamId),
      this.seals ? this.seals.snapshot() : Promise.resolve(null),
      this.ranges.cardNeighbours(decision.request.cardId, event.position, CARD_NEIGHBOURS),
    ]);
    const seal = sealed?.covering(event.position) ?? null;
    return {
      decision,
      deployment,
      model,
      policy: decision.policy,
      labels: stream.filter((e) => e.type === TRANSACTION_LABELLED).map((e) => upcastTransactionLabelled(e.data, decision.transactionId)),
      seal: seal ? toSealJson(seal) : null,
      sealing: sealed ? { sealedThrough: sealed.sealedThrough.toString(), nextSealDueBy: sealed.nextSealDueBy } : null,
      card: { cardId: decision.request.cardId, before: card.before.map(toDecisionListItem), after: card.after.map(toDecisionListItem) },
    };
  }

  private async decidingModel(decision: DecisionAuditRecord): Promise<DecidingModel | null> {
    try {
      const r = await this.catalog.registered(decision.model.name, decision.model.version);
      return {
        name: r.name,
        version: r.version,
        sha256: r.sha256,
        servedSha256: r.servedSha256,
        registeredAt: r.registeredAt,
        matchesDecision: r.servedSha256 === decision.model.sha256,
        manifest: r.manifest,
        metrics: r.manifest.metrics ?? null,
      };
    } catch (e) {
      if (e instanceof RegisteredVersionNotFoundError) return null;
      throw e;
    }
  }
}
