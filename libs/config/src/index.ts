export * from './verdict-config';
export * from './worker-script';
export * from './supervisor';
export * from './thread-priority';
export * from './shutdown-bound';
export * from './logger';
export * from './config-error';
export type { OidcConfig } from './oidc-config';
export { bundledModelPaths, DEFAULT_MODEL_DIR, repoRoot } from './bundled-model';
