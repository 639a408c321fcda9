/** A page of the deployment's history (newest first), from the read model. */
export interface DeploymentHistoryPage {
  readonly items: readonly {
    readonly revision: number;
    readonly type: string;
    readonly at: string;
    readonly actor: string;
    readonly reason: string;
    readonly automatic: boolean;
    readonly position: number;
    readonly event: Record<string, unknown>;
  }[];
  readonly nextCursor: string | null;
}

export interface DeploymentHistoryQueries {
  list(params: { readonly limit: number; readonly cursor?: string }): Promise<DeploymentHistoryPage>;
}
