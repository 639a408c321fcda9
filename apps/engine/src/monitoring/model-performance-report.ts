import { Inject, Injectable } from '@nestjs/common';
import { cardFiguresOf, performanceOf, type CardFigures, type PerformanceCell, type PerformanceFigures } from '@verdict/domain';
import type { ModelPerformanceQueries } from '@verdict/read-models';
import { MODEL_PERFORMANCE } from '../infrastructure/tokens';
import { ModelCatalog } from '../models/model-catalog';
import type { PerformanceParams } from './performance-params';

export interface PerformanceReport {
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  readonly window: { readonly from: string; readonly to: string; readonly asOf: string; readonly arm: string | null; readonly unlabelled: string };
  readonly overall: PerformanceFigures;
  readonly byArm: Record<string, PerformanceFigures>;
  readonly byDay: { readonly day: string; readonly figures: PerformanceFigures }[];
  /** The model card's figures for the same definitions, and the observed figure minus the card's. */
  readonly card: CardFigures;
  readonly againstCard: { readonly precision: number | null; readonly recall: number | null; readonly falsePositiveRate: number | null; readonly rocAuc: number | null };
}

const minus = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

/** A model version's performance against what really happened, as known at `asOf`, beside its card. */
@Injectable()
export class ModelPerformanceReport {
  constructor(
    private readonly catalog: ModelCatalog,
    @Inject(MODEL_PERFORMANCE) private readonly queries: Pick<ModelPerformanceQueries, 'cells'>,
  ) {}

  /** @throws RegisteredVersionNotFoundError */
  async report(name: string, version: string, p: PerformanceParams): Promise<PerformanceReport> {
    const registered = await this.catalog.registered(name, version);
    const cells = await this.queries.cells({ model: name, version, from: p.from, to: p.to, asOf: p.asOf, ...(p.arm ? { arm: p.arm } : {}) });
    const group = (key: (c: PerformanceCell) => string): Map<string, PerformanceCell[]> => {
      const groups = new Map<string, PerformanceCell[]>();
      for (const c of cells) groups.set(key(c), [...(groups.get(key(c)) ?? []), c]);
      return groups;
    };
    const overall = performanceOf(cells, p.unlabelled);
    const card = cardFiguresOf(registered.manifest.metrics);
    return {
      model: { name, version, sha256: registered.sha256 },
      window: { from: p.from.toISOString(), to: p.to.toISOString(), asOf: p.asOf.toISOString(), arm: p.arm ?? null, unlabelled: p.unlabelled },
      overall,
      byArm: Object.fromEntries([...group((c) => c.arm)].map(([arm, cs]) => [arm, performanceOf(cs, p.unlabelled)])),
      byDay: [...group((c) => c.day)].map(([day, cs]) => ({ day, figures: performanceOf(cs, p.unlabelled) })),
      card,
      againstCard: {
        precision: minus(overall.precision, card.precision),
        recall: minus(overall.recall, card.recall),
        falsePositiveRate: minus(overall.falsePositiveRate, card.falsePositiveRate),
        rocAuc: minus(overall.rocAuc, card.rocAuc),
      },
    };
  }
}
