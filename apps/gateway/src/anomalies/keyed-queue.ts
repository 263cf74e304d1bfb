export { KeyedSerialiser as KeyedQueue } from '../concurrency/keyed-serialiser.js';
