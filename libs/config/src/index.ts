export * from './verdict-config';
