import type { DeploymentState, ModelVersionRegisteredV1, RegisteredModelVersion } from '@verdict/domain';

/** The answer to a registration: what is immutable about a version (the same for a repeated registration). */
export function registrationView(r: ModelVersionRegisteredV1) {
  return {
    name: r.name,
    version: r.version,
    sha256: r.sha256,
    servedSha256: r.servedSha256,
    sizeBytes: r.sizeBytes,
    rewrites: r.rewrites,
    signature: r.signature,
    manifest: r.manifest,
    registeredAt: r.registeredAt,
    registeredBy: r.actor,
  };
}

export type DeploymentRole = 'champion' | 'standby' | 'challenger';

/** Where a version is in the deployment right now. */
export function deployedAs(state: DeploymentState, name: string, version: string): DeploymentRole[] {
  const is = (m: { name: string; version: string } | null | undefined): boolean => m?.name === name && m.version === version;
  const roles: DeploymentRole[] = [];
  if (is(state.champion)) roles.push('champion');
  if (is(state.standby?.model)) roles.push('standby');
  if (is(state.challenger?.model)) roles.push('challenger');
  return roles;
}

/** GET …/versions/{version}: the registration, its retirement if any, and where it is deployed. */
export function versionView(v: RegisteredModelVersion, state: DeploymentState) {
  const r = v.registered;
  return {
    ...registrationView(r),
    retired: v.retired ? { at: v.retired.retiredAt, reason: v.retired.reason, by: v.retired.actor } : null,
    deployedAs: deployedAs(state, r.name, r.version),
    ...(state.challenger && state.challenger.model.name === r.name && state.challenger.model.version === r.version
      ? { challenger: { mode: state.challenger.mode, trafficPercent: state.challenger.trafficPercent } }
      : {}),
  };
}
