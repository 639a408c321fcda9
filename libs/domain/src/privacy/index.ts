export * from './personal-fields';
export * from './pseudonymizer';
export * from './personal-envelope';
export * from './protect-request';
export * from './subject-erased.event';
export * from './protect-parameters';
