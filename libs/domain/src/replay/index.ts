export * from './replay-request';
export * from './replay-comparison';
export * from './replay-report';
export * from './replay-events';
