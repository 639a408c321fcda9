import { Injectable } from '@nestjs/common';
import type { BaselineReference } from '@verdict/domain';
import { DriftQueries } from '@verdict/read-models';
import { ProblemException } from '../http/problem.exception';
import type { DriftRequest } from './drift-params';
import { DriftWindows, type DriftWindowFigures } from './drift-windows';

export interface VersionDrift {
  readonly version: string;
  /** null while a version without training statistics has had no full window yet. */
  readonly baseline: BaselineReference | null;
  readonly windows: readonly DriftWindowFigures[];
}

export interface DriftReportBody {
  readonly model: string;
  readonly from: string;
  readonly to: string;
  readonly windowSeconds: number;
  readonly minDecisions: number;
  readonly versions: readonly VersionDrift[];
}

/** Per-window drift figures per feature and the score of a model's versions, from the drift read model. */
@Injectable()
export class DriftReport {
  constructor(
    private readonly windows: DriftWindows,
    private readonly queries: DriftQueries,
  ) {}

  get windowSeconds(): number {
    return this.windows.settings.windowSeconds;
  }

  /** @throws ProblemException model-not-found / model-version-not-found */
  async report(request: DriftRequest, now: number): Promise<DriftReportBody> {
    const known = await this.queries.versions(request.model);
    if (known.length === 0) throw new ProblemException('model-not-found', `No version of model "${request.model}" is registered or has decided.`);
    const versions = request.version === undefined ? known : known.filter((v) => v.version === request.version);
    if (versions.length === 0) throw new ProblemException('model-version-not-found', `Model "${request.model}" has no version "${request.version}".`);
    const items: VersionDrift[] = [];
    for (const v of versions) {
      const baseline = await this.windows.baseline(v, now);
      items.push({
        version: v.version,
        baseline: baseline?.reference ?? null,
        windows: await this.windows.figures(v, baseline, request.fromMs, request.toMs, request.windowSeconds, now),
      });
    }
    return {
      model: request.model,
      from: new Date(request.fromMs).toISOString(),
      to: new Date(request.toMs).toISOString(),
      windowSeconds: request.windowSeconds,
      minDecisions: this.windows.settings.minDecisions,
      versions: items,
    };
  }
}
