/** A dense float32 design matrix (row-major) with binary labels — what the trainer consumes. */
export interface Dataset {
  readonly featureNames: readonly string[];
  readonly rows: number;
  /** rows × featureNames.length values, row-major. */
  readonly values: Float32Array;
  /** 1 = positive (fraud), 0 = negative. */
  readonly labels: Uint8Array;
}

export class InvalidDatasetError extends Error {
  readonly code = 'INVALID_DATASET';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDatasetError';
  }
}

export function validateDataset(d: Dataset): void {
  const f = d.featureNames.length;
  if (f === 0) throw new InvalidDatasetError('Dataset has no features');
  if (!Number.isInteger(d.rows) || d.rows < 0) throw new InvalidDatasetError(`Invalid row count ${d.rows}`);
  if (d.values.length !== d.rows * f) {
    throw new InvalidDatasetError(`values has ${d.values.length} entries, expected ${d.rows} × ${f}`);
  }
  if (d.labels.length !== d.rows) throw new InvalidDatasetError(`labels has ${d.labels.length} entries, expected ${d.rows}`);
  for (let i = 0; i < d.values.length; i++) {
    if (!Number.isFinite(d.values[i] as number)) {
      throw new InvalidDatasetError(`Non-finite value at row ${Math.floor(i / f)}, feature "${d.featureNames[i % f]}"`);
    }
  }
  for (let i = 0; i < d.rows; i++) {
    const y = d.labels[i];
    if (y !== 0 && y !== 1) throw new InvalidDatasetError(`Label at row ${i} is ${y}, expected 0 or 1`);
  }
}

/** The rows at `indices`, in that order. */
export function selectRows(d: Dataset, indices: ArrayLike<number>): Dataset {
  const f = d.featureNames.length;
  const values = new Float32Array(indices.length * f);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i] as number;
    values.set(d.values.subarray(r * f, r * f + f), i * f);
    labels[i] = d.labels[r] as number;
  }
  return { featureNames: d.featureNames, rows: indices.length, values, labels };
}
