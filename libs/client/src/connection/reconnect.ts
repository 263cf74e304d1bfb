import { backoffDelay, type BackoffOptions } from '../backoff.js';
import type { CloseInfo, ConnectionStatus } from '../types.js';

type ReconnectingStatus = Extract<ConnectionStatus, { state: 'reconnecting' }>;

/**
 * Whether a close ends the connection for good. `refresh-token` ends it only when asking for a
 * new token cannot help (`markTokenStale` answers false), so it is asked for that advice alone.
 */
export function closeIsFinal(close: CloseInfo, markTokenStale: () => boolean): boolean {
  switch (close.advice) {
    case 'stop':
    case 'fix-client':
      return true;
    case 'refresh-token':
      return !markTokenStale();
    case 'reconnect':
    case 'backoff-long':
      return false;
  }
}

/** Consecutive failed attempts and the one pending retry, with full-jitter back-off by close advice. */
export class Reconnector {
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly backoff: BackoffOptions,
    private readonly random: () => number,
  ) {}

  /** Nothing failed yet: the first attempt of a connection, or a socket that reached `connected`. */
  get fresh(): boolean {
    return this.failures === 0;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Runs `retry` after this failure's back-off; the status tells the application when. */
  schedule(close: CloseInfo, retry: () => void): ReconnectingStatus {
    this.failures += 1;
    const delayMs = backoffDelay(this.failures, close.advice, this.backoff, this.random);
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      retry();
    }, delayMs);
    return { state: 'reconnecting', attempt: this.failures, delayMs, lastClose: close };
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
