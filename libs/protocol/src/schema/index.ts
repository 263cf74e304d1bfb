export * from './json-schema.js';
export * from './client-frames.schema.js';
export * from './server-frames.schema.js';
export * from './events.schema.js';
export * from './validate.js';
