/** What health reporting needs to know about the projections running in this process. */
export interface ProjectionStatus {
  readonly mode: 'inline' | 'off';
  readonly checkpoint: bigint;
  readonly lastError?: string;
}

export interface ProjectionStatusSource {
  projectionStatus(): ProjectionStatus;
  /**
   * Events of the projections' types still to apply, counted off the request path (up to PROJECTION_LAG_LIMIT);
   * 0 when projections run elsewhere. Rejects when it cannot be counted.
   */
  projectionLag(): Promise<number>;
}
