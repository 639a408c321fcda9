import { validateObject } from '../request-validation';
import { modelManifestSchema } from '../models/model-manifest';
import { trainingStatisticsProblems, trainingStatisticsSchema, type TrainingStatistics } from './training-statistics';

const statistics: TrainingStatistics = {
  schemaVersion: 1,
  rows: 1000,
  features: [
    { name: 'amount', edges: [10, 50], proportions: [0.3, 0.5, 0.2] },
    { name: 'is_night', edges: [0.5], proportions: [0.95, 0.05] },
  ],
  score: { edges: [0.1], proportions: [0.9, 0.1] },
};

describe('training statistics in the manifest', () => {
  it('are optional: a manifest without them (every manifest before them) still validates', () => {
    expect(modelManifestSchema.safeParse({ features: ['amount', 'is_night'] }).success).toBe(true);
    expect(modelManifestSchema.safeParse({ features: ['amount', 'is_night'], trainingStatistics: statistics }).success).toBe(true);
  });

  it('name what is wrong with a JSON Pointer into the manifest', () => {
    const bad = {
      ...statistics,
      features: [
        { name: 'amount', edges: [50, 10], proportions: [0.3, 0.5, 0.2] },
        { name: 'is_night', edges: [0.5], proportions: [0.95] },
      ],
      score: { edges: [0.1], proportions: [0.5, 0.1] },
    };
    const result = validateObject(modelManifestSchema, { trainingStatistics: bad }, '/manifest');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        '/manifest/trainingStatistics/features/0/edges',
        '/manifest/trainingStatistics/features/1/proportions',
        '/manifest/trainingStatistics/score/proportions',
      ]),
    );
  });

  it('are versioned: an unknown schemaVersion is refused rather than misread', () => {
    expect(trainingStatisticsSchema.safeParse({ ...statistics, schemaVersion: 2 }).success).toBe(false);
  });

  it('must cover exactly the manifest features, in order, and need features at all', () => {
    expect(trainingStatisticsProblems(statistics, ['amount', 'is_night'])).toEqual([]);
    expect(trainingStatisticsProblems(statistics, ['is_night', 'amount'])).toHaveLength(1);
    expect(trainingStatisticsProblems(statistics, ['amount'])).toHaveLength(1);
    expect(trainingStatisticsProblems(statistics, undefined)[0]).toMatch(/need features/);
  });
});
