/** What health reporting needs to know about the projections running in this process. */
export interface ProjectionStatus {
  readonly mode: 'inline' | 'off';
  readonly checkpoint: bigint;
  readonly lastError?: string;
}

export interface ProjectionStatusSource {
  projectionStatus(): ProjectionStatus;
}
