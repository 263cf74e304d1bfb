import type { ReconnectAdvice } from '@tracklight/protocol';

export interface BackoffOptions {
  /** Upper bound of the first retry delay. */
  initialMs: number;
  /** Cap of the exponential growth. */
  maxMs: number;
  /** Base of the long back-off after 1008 and 4429 (the server is protecting itself). */
  longMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, longMs: 60_000 };

/**
 * Exponential back-off with full jitter (delay uniform in [0, min(cap, initial * 2^(attempt-1))]),
 * so clients dropped together by one restart do not reconnect together.
 */
export function backoffDelay(
  attempt: number,
  advice: ReconnectAdvice,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  if (advice === 'backoff-long') return Math.round(options.longMs * (0.5 + random() / 2));
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(random() * ceiling);
}
