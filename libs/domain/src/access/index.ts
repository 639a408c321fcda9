export * from './roles';
export * from './api-key';
export * from './key-events';
export * from './key-ring';
export * from './access-recorded';
export * from './key-requests';
