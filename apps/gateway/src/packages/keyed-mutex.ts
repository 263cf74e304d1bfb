export { KeyedSerialiser as KeyedMutex } from '../concurrency/keyed-serialiser.js';
