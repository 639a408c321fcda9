export * from './event-store-url';
export * from './hashed-log';
export * from './publish-key';
export * from './range-checker';
export * from './seal-log';
export * from './sealing-cursor';
export * from './verify-store';
export * from './worker-range-checker';
