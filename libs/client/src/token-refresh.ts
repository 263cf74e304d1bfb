import type { AuthenticatedFrame, ReplyFrame } from '@tracklight/protocol';
import type { Emitter } from './emitter.js';
import { refreshDelay, tokenTimes } from './jwt.js';
import type { ClientEvents } from './types.js';

/** Browsers and Node clamp longer timeouts to 1 ms, which would refresh in a loop. */
const MAX_TIMEOUT = 2 ** 31 - 1;

export interface TokenLink {
  readonly isConnected: boolean;
  request<R extends ReplyFrame>(frame: { type: 'auth'; data: { token: string } }): Promise<R>;
}

/**
 * The token the next socket opens with, and its renewal: `getToken` before expiry (sent with
 * `auth` on the open socket) and after the server refused a stale one.
 */
export class TokenRefresh {
  private stale = false;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private token: string | undefined,
    private readonly getToken: (() => string | Promise<string>) | undefined,
    private readonly refreshMarginMs: number,
    private readonly link: TokenLink,
    private readonly emitter: Emitter<ClientEvents>,
  ) {}

  /** The token to open a socket with; asks `getToken` when there is none, or it is stale or expiring. */
  async current(): Promise<string | undefined> {
    const expired = this.token !== undefined && (tokenTimes(this.token).expiresAtMs ?? Infinity) <= Date.now() + 1000;
    if (this.getToken && (this.token === undefined || this.stale || expired)) {
      this.token = await this.getToken();
      this.stale = false;
    }
    return this.token;
  }

  /** After a 4401/4408 close; false when there is no `getToken` to ask, so reconnecting is pointless. */
  markStale(): boolean {
    if (!this.getToken) return false;
    this.stale = true;
    return true;
  }

  async set(token: string): Promise<void> {
    this.token = token;
    this.stale = false;
    if (this.link.isConnected) await this.authenticate(token);
  }

  async authenticate(token: string): Promise<AuthenticatedFrame> {
    const reply = await this.link.request<AuthenticatedFrame>({ type: 'auth', data: { token } });
    this.token = token;
    this.schedule();
    return reply;
  }

  schedule(): void {
    this.cancel();
    if (!this.getToken || !this.token || !this.link.isConnected) return;
    const delay = refreshDelay(this.token, this.refreshMarginMs);
    if (delay === undefined) return;
    this.timer = setTimeout(() => void this.refresh(), Math.min(delay, MAX_TIMEOUT));
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    if (!this.getToken) return;
    try {
      const token = await this.getToken();
      // If the socket dropped meanwhile the next connection simply uses the new token.
      this.token = token;
      this.stale = false;
      if (this.link.isConnected) await this.authenticate(token);
    } catch (err) {
      // The server closes with 4408 at expiry; the reconnect then asks getToken again.
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
    }
  }
}
