export * from './dto.js';
export * from './parse-client-frame.js';
