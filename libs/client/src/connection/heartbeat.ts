import { RequestTimeoutError } from '../errors.js';

/**
 * The app-level `ping` heartbeat: browsers cannot see WebSocket ping frames, so a half-open socket
 * is only noticed when a `ping` request goes unanswered.
 */
export class Heartbeat {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly ping: (timeoutMs: number) => Promise<unknown>,
  ) {}

  /** `isCurrent` is false once the socket this beat was started for has gone. */
  start(isCurrent: () => boolean, onDead: () => void): void {
    if (this.intervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.ping(this.timeoutMs).then(
        () => {
          if (isCurrent()) this.start(isCurrent, onDead);
        },
        (err: Error) => {
          if (isCurrent() && err instanceof RequestTimeoutError) onDead();
        },
      );
    }, this.intervalMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
