import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ModelPerformanceReport } from '../monitoring/model-performance-report';
import { parsePerformanceParams } from '../monitoring/performance-params';
import { parseDriftParams } from '../monitoring/drift-params';
import { DriftReport } from '../monitoring/drift-report';
import { DateTimeScalar } from './date-time.scalar';
import { Arm } from './decision.types';
import { ModelVersion } from './model.resolver';
import { ModelPerformance, VersionDrift } from './monitoring.types';
import { Roles } from '../access/route-roles';
import { GuardedByRoles } from '../access/graphql-roles.guard';

/** Each is one aggregate read of its own read model, per version asked for: costed as such. */
const MONITORING_FIELD_COST = 50;

const iso = (d: Date | null | undefined): string | undefined => (d ? d.toISOString() : undefined);
/** The REST parameters' form: GraphQL's absent arguments become absent parameters, so both validate alike. */
const query = (args: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(args).filter((e): e is [string, string] => e[1] !== undefined));

/** A version's performance against labels and its drift, as the REST monitoring endpoints report them. */
@Roles('analyze', 'operate')
@GuardedByRoles()
@Resolver(() => ModelVersion)
export class ModelMonitoringResolver {
  constructor(
    private readonly performanceReport: ModelPerformanceReport,
    private readonly driftReport: DriftReport,
  ) {}

  @ResolveField(() => ModelPerformance, {
    complexity: MONITORING_FIELD_COST,
    description: 'Precision, recall, FPR, rates, ROC AUC, fraud amounts and label coverage, as known at asOf, beside the card (default: the last 30 days, labels as known now)',
  })
  async performance(
    @Parent() v: ModelVersion,
    @Args('from', { type: () => DateTimeScalar, nullable: true }) from: Date | null,
    @Args('to', { type: () => DateTimeScalar, nullable: true }) to: Date | null,
    @Args('arm', { type: () => Arm, nullable: true }) arm: Arm | null,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf: Date | null,
    @Args('unlabelled', { type: () => String, nullable: true, description: 'legitimate (default) or excluded' }) unlabelled: string | null,
  ): Promise<ModelPerformance> {
    const params = parsePerformanceParams(query({ from: iso(from), to: iso(to), arm: arm ?? undefined, asOf: iso(asOf), unlabelled: unlabelled ?? undefined }), new Date());
    const r = await this.performanceReport.report(v.name, v.version, params);
    return {
      from: new Date(r.window.from),
      to: new Date(r.window.to),
      asOf: new Date(r.window.asOf),
      arm: r.window.arm,
      unlabelled: r.window.unlabelled,
      overall: r.overall,
      byArm: Object.entries(r.byArm).map(([armName, figures]) => ({ arm: armName, figures })),
      byDay: r.byDay.map((d) => ({ day: d.day, figures: d.figures })),
      card: r.card,
      againstCard: r.againstCard,
    };
  }

  @ResolveField(() => VersionDrift, {
    complexity: MONITORING_FIELD_COST,
    description: "Per window, each feature's and the score's PSI and KS against the baseline (default: the last 24 windows)",
  })
  async drift(
    @Parent() v: ModelVersion,
    @Args('from', { type: () => DateTimeScalar, nullable: true }) from: Date | null,
    @Args('to', { type: () => DateTimeScalar, nullable: true }) to: Date | null,
    @Args('window', { type: () => String, nullable: true, description: 'Window width: seconds, or 90m, 6h, 1d; a multiple of the drift window' }) window: string | null,
  ): Promise<VersionDrift> {
    const now = Date.now();
    const request = parseDriftParams(query({ model: v.name, version: v.version, from: iso(from), to: iso(to), window: window ?? undefined }), this.driftReport.windowSeconds, now);
    const report = await this.driftReport.report(request, now);
    const version = report.versions[0];
    const b = version?.baseline ?? null;
    return {
      windowSeconds: report.windowSeconds,
      minDecisions: report.minDecisions,
      baseline: b && { kind: b.kind, windowFrom: b.window ? new Date(b.window.from) : null, windowTo: b.window ? new Date(b.window.to) : null, decisions: b.decisions ?? null },
      windows: (version?.windows ?? []).map((w) => ({ ...w, from: new Date(w.from), to: new Date(w.to), features: [...w.features] })),
    };
  }
}
