export * from './verdict-config';
export * from './worker-script';
export * from './supervisor';
export * from './thread-priority';
export * from './wake-hint';
