export { decodeCursor, encodeCursor } from '../paging/cursor.js';
