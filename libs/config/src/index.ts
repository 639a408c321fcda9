export * from './verdict-config';
export * from './worker-script';
export * from './supervisor';
export * from './thread-priority';
