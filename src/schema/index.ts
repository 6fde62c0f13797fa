export * from './fields.ts';
export * from './source.ts';
export * from './snapshot.ts';
export * from './claim.ts';
export * from './fact.ts';
export * from './change.ts';
export * from './dataset.ts';
export * from './condition.ts';
