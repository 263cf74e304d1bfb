export * from './codes.js';
export * from './endpoints.js';
export * from './event-id.js';
export * from './events.js';
export * from './frames.js';
export * from './roles.js';
export * from './topics.js';
export * from './client-frame-limits.js';
