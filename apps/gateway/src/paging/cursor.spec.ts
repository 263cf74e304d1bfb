import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, pageOf, readCursor } from './cursor.js';

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

describe('readCursor', () => {
  it('is undefined for the first page and the key for an issued cursor', () => {
    expect(readCursor(undefined)).toBeUndefined();
    expect(readCursor(encodeCursor({ createdAtMs: 5, id: '7' }))).toEqual({ createdAtMs: 5, id: '7' });
  });

  it('answers a forged cursor, or one the list refuses, with a 400 naming the field', () => {
    const numeric = (k: { id: string }) => /^[1-9][0-9]*$/.test(k.id);
    for (const run of [
      () => readCursor('nope'),
      () => readCursor(encodeCursor({ createdAtMs: 1, id: 'x' }), numeric),
    ]) {
      let caught: unknown;
      try {
        run();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(BadRequestException);
      expect((caught as BadRequestException).getResponse()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: [{ field: 'cursor', errors: ['cursor is not one this server issued'] }],
      });
    }
  });
});

describe('pageOf', () => {
  const rows = [1, 2, 3].map((n) => ({ at: n * 10, id: `r${n}` }));
  const keyOf = (r: { at: number; id: string }) => ({ createdAtMs: r.at, id: r.id });

  it('keeps limit rows and points the next cursor at the last one kept', () => {
    const page = pageOf(rows, 2, keyOf, (r) => r.id);
    expect(page.items).toEqual(['r1', 'r2']);
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAtMs: 20, id: 'r2' });
  });

  it('has no next cursor on the last page', () => {
    expect(pageOf(rows, 3, keyOf, (r) => r.id)).toEqual({ items: ['r1', 'r2', 'r3'], nextCursor: null });
    expect(pageOf([], 3, keyOf, (r) => r.id)).toEqual({ items: [], nextCursor: null });
  });
});
