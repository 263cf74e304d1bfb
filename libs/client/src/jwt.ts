/** Reads `exp` and `iat` of a JWT without verifying it: the client only needs to know when to refresh. */
export interface TokenTimes {
  expiresAtMs?: number;
  issuedAtMs?: number;
}

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function tokenTimes(token: string): TokenTimes {
  const parts = token.split('.');
  if (parts.length !== 3) return {};
  try {
    const payload = decodeSegment(parts[1]) as { exp?: unknown; iat?: unknown } | null;
    if (!payload || typeof payload !== 'object') return {};
    return {
      expiresAtMs: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
      issuedAtMs: typeof payload.iat === 'number' ? payload.iat * 1000 : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * How long from `now` until the token should be replaced: a margin before `exp` of at most
 * `marginMs`, and at most a quarter of the token's lifetime so short-lived tokens still get used.
 */
export function refreshDelay(token: string, marginMs: number, now = Date.now()): number | undefined {
  const { expiresAtMs, issuedAtMs } = tokenTimes(token);
  if (expiresAtMs === undefined) return undefined;
  const lifetime = expiresAtMs - (issuedAtMs ?? now);
  const margin = Math.min(marginMs, Math.max(lifetime, 0) / 4);
  return Math.max(expiresAtMs - margin - now, 0);
}
