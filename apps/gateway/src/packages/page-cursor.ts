import type { PageKey } from './storage/package-store.js';

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
