export * from './verdict-config';
export * from './worker-script';
