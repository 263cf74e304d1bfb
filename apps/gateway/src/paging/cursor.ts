import { BadRequestException } from '@nestjs/common';
import { validationFailed } from '../validation/failing-fields.js';

/** The sort key of a row of a keyset-paged list: a time, and an id that breaks ties. */
export interface PageKey {
  createdAtMs: number;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Cursors are opaque to clients: base64url of the last row's sort key. Decoding validates the
 * shape, so a forged or truncated cursor is a 400 rather than a query error.
 */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.createdAtMs, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): PageKey | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAtMs, id] = value as unknown[];
    if (!Number.isSafeInteger(createdAtMs) || typeof id !== 'string' || id.length === 0 || id.length > 36) {
      return undefined;
    }
    return { createdAtMs: createdAtMs as number, id };
  } catch {
    return undefined;
  }
}

/**
 * The key a request's `cursor` query parameter names: undefined for the first page, a 400 naming
 * the field for a cursor this server did not issue (or one `accept` refuses, e.g. a non-numeric id
 * for a list keyed by sequence numbers).
 */
export function readCursor(cursor: string | undefined, accept?: (key: PageKey) => boolean): PageKey | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor);
  if (!key || (accept && !accept(key))) {
    throw new BadRequestException(
      validationFailed([{ field: 'cursor', errors: ['cursor is not one this server issued'] }]),
    );
  }
  return key;
}

/**
 * One page from `limit + 1` rows: the extra row tells whether another page exists without a count
 * query, and the last row kept gives the next cursor.
 */
export function pageOf<R, T>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => PageKey,
  view: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
