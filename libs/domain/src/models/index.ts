export * from './model-name';
export * from './model-signature';
export * from './model-manifest';
export * from './model-events';
export * from './model-registry';
export * from './inference-events';
