export * from './deployment-events';
export * from './deployment-state';
export * from './deployment-errors';
export * from './deployment-commands';
export * from './canary-analysis';
export * from './routing';
