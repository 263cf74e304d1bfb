import type { ClientFrame, ReplyFrame, ServerFrame } from '@tracklight/protocol';
import { ClientClosedError, RequestTimeoutError, ServerError } from './errors.js';

interface PendingRequest {
  frame: ClientFrame & { ref: string };
  sent: boolean;
  timer: ReturnType<typeof setTimeout>;
  resolve: (frame: ServerFrame) => void;
  reject: (err: Error) => void;
}

/** The socket as the requests see it: the transport, behind the few calls they need. */
export interface RequestLink {
  readonly isStopped: boolean;
  readonly isConnected: boolean;
  readonly writable: boolean;
  readonly hasSocket: boolean;
  write(text: string): void;
}

/**
 * Frames waiting for their reply (matched by `ref`) and fire-and-forget frames queued while
 * disconnected. Both survive a reconnect, so a caller never has to know the socket changed.
 */
export class Requests {
  private readonly pending = new Map<string, PendingRequest>();
  private queue: string[] = [];
  private refSeq = 0;

  constructor(
    private readonly link: RequestLink,
    private readonly requestTimeoutMs: number,
    private readonly maxQueuedFrames: number,
  ) {}

  request<R extends ReplyFrame = ReplyFrame>(frame: ClientFrame, timeoutMs = this.requestTimeoutMs): Promise<R> {
    if (this.link.isStopped) return Promise.reject(new ClientClosedError());
    const ref = frame.ref ?? `r${++this.refSeq}`;
    return new Promise<R>((resolve, reject) => {
      const pending: PendingRequest = {
        frame: { ...frame, ref },
        sent: false,
        timer: setTimeout(() => {
          this.pending.delete(ref);
          reject(new RequestTimeoutError(frame.type, timeoutMs));
        }, timeoutMs),
        resolve: resolve as (frame: ServerFrame) => void,
        reject,
      };
      this.pending.set(ref, pending);
      if (this.link.isConnected) this.sendPending(pending);
    });
  }

  send(frame: ClientFrame): boolean {
    if (this.link.isStopped) return false;
    const text = JSON.stringify(frame);
    if (this.link.isConnected && this.link.hasSocket) {
      this.link.write(text);
      return true;
    }
    if (this.queue.length >= this.maxQueuedFrames) return false;
    this.queue.push(text);
    return true;
  }

  /** Settles the request a reply answers; false when the frame answers none of ours. */
  settle(frame: ServerFrame): boolean {
    const pending = frame.ref !== undefined ? this.pending.get(frame.ref) : undefined;
    if (!pending) return false;
    this.pending.delete(pending.frame.ref);
    clearTimeout(pending.timer);
    if (frame.type === 'error') pending.reject(new ServerError(frame.data));
    else pending.resolve(frame);
    return true;
  }

  /** On a new connection: requests first (they were made earlier), then the queued frames. */
  flush(): void {
    for (const pending of this.pending.values()) if (!pending.sent) this.sendPending(pending);
    const queued = this.queue;
    this.queue = [];
    for (const text of queued) this.link.write(text);
  }

  /**
   * Subscriptions die with the socket and are renewed by the subscriptions job; other requests
   * (ping, auth, raw frames) lost their reply too and are sent again on the next connection.
   */
  onSocketLost(): void {
    for (const [ref, pending] of this.pending) {
      if (pending.frame.type === 'subscribe' || pending.frame.type === 'unsubscribe') {
        clearTimeout(pending.timer);
        this.pending.delete(ref);
        pending.reject(new ClientClosedError('connection lost'));
      } else {
        pending.sent = false;
      }
    }
  }

  rejectAll(err: Error): void {
    this.queue = [];
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
    this.pending.clear();
  }

  private sendPending(pending: PendingRequest): void {
    if (!this.link.writable) return;
    pending.sent = true;
    this.link.write(JSON.stringify(pending.frame));
  }
}
