/** Why a deployment change was refused. Stable codes: the HTTP layer maps each to a status and a problem type. */
export type DeploymentRuleCode =
  | 'model-version-not-found' // 404
  | 'model-version-retired' // 409
  | 'model-not-deployable' // 422: no features, it serves raw inference only
  | 'no-champion' // 409
  | 'no-challenger' // 409
  | 'challenger-exists' // 409
  | 'no-standby' // 409
  | 'no-change' // 409: the champion already is that version under that policy
  | 'policy-version-conflict' // 409: the version is bound to other thresholds
  | 'no-policy' // 422
  | 'invalid-traffic'; // 422

export class DeploymentRuleError extends Error {
  constructor(
    readonly code: DeploymentRuleCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeploymentRuleError';
  }
}

export const isDeploymentRuleError = (e: unknown): e is DeploymentRuleError => e instanceof DeploymentRuleError;
