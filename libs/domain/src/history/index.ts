export * from './history-windows';
export * from './bucket-series';
export * from './entity-history';
export * from './history-state';
export * from './history-features';
export * from './distinct-series';
export * from './card-history';
export * from './history-log';
