export * from './adapter-profile';
export * from './device';
export * from './buffer-pool';
export * from './kernel-spec';
export * from './params';
export * from './pipeline-cache';
export * from './gpu';
export * from './timer';
