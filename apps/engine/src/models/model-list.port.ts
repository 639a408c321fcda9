/** GET /v1/models: every registered model and its versions, from the read model. */
export interface ModelListItem {
  readonly name: string;
  readonly versions: readonly {
    readonly version: string;
    readonly sha256: string;
    readonly servedSha256: string;
    readonly registeredAt: string;
    readonly retiredAt: string | null;
    readonly decides: boolean;
  }[];
}

export interface ModelListQueries {
  list(): Promise<{ readonly items: readonly ModelListItem[] }>;
}
