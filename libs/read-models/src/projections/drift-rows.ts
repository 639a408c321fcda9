import type { DriftBinning, TrainingStatistics } from '@verdict/domain';

/** The map key of a model version in the drift read model (names and versions never hold a NUL). */
export const versionKey = (model: string, version: string): string => `${model}\u0000${version}`;

/** A drift_binnings row as the domain's DriftBinning (written by the projection from a validated registration). */
export function parseBinning(kind: string, json: string): DriftBinning {
  const body = JSON.parse(json) as unknown;
  if (kind === 'training') return { kind, statistics: body as TrainingStatistics };
  if (kind === 'first-window') return { kind, series: (body as { series: string[] }).series };
  throw new RangeError(`unknown drift binning kind "${kind}"`);
}
