import { decodeCursor, encodeCursor } from './page-cursor.js';

describe('page cursor', () => {
  it('round-trips a sort key', () => {
    const key = { createdAtMs: 1_763_780_000_123, id: '6f1c0d4e-3b9a-4a57-9f55-0c2a1d3e4f56' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each([
    ['garbage', 'not base64 json!'],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
    ['a wrong arity', Buffer.from('[1]').toString('base64url')],
    ['a non-integer time', Buffer.from('[1.5,"x"]').toString('base64url')],
    ['an empty id', Buffer.from('[1,""]').toString('base64url')],
  ])('refuses %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
