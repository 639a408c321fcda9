export * from './subject-key-store.port';
export * from './subject-key-store.factory';
export * from './subject-key-store.errors';
export * from './subject-vault';
