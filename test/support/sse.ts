// Received JSON, asserted field by field by the tests.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** One Server-Sent Events message as an EventSource would dispatch it. */
export interface SseMessage {
  id?: string;
  event: string;
  data: any;
}

/**
 * A Server-Sent Events client over `fetch` streaming, parsing the stream as the EventSource spec
 * does (fields id, event, data; comment lines counted). `next` hands out messages in order.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  comments = 0;
  status = 0;
  body: any;
  /** Resolves when the stream ended (server closed it) or was aborted. */
  readonly ended: Promise<void>;
  readonly ready: Promise<void>;
  private readonly abort = new AbortController();
  private taken = 0;
  private wake: (() => void) | undefined;
  private done = false;
  private paused = false;

  constructor(url: string, headers: Record<string, string> = {}) {
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    this.ended = this.run(url, headers, markReady).finally(() => {
      this.done = true;
      markReady();
      this.wake?.();
    });
  }

  private async run(url: string, headers: Record<string, string>, markReady: () => void): Promise<void> {
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.abort.signal });
    } catch {
      return;
    }
    this.status = res.status;
    if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
      this.body = await res.json().catch(() => undefined);
      return;
    }
    markReady();
    const decoder = new TextDecoder();
    let buffer = '';
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        while (this.paused && !this.abort.signal.aborted) await new Promise((r) => setTimeout(r, 50));
        buffer += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (current.data.length) {
              this.messages.push({
                id: current.id,
                event: current.event ?? 'message',
                data: JSON.parse(current.data.join('\n')),
              });
              this.wake?.();
            }
            current = { data: [] };
          } else if (line.startsWith(':')) {
            this.comments += 1;
            this.wake?.();
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
            else if (field === 'data') current.data.push(value);
          }
        }
      }
    } catch {
      // aborted
    }
  }

  /** The next message not yet handed out (optionally of an event type), waiting up to timeoutMs. */
  async next(event?: string, timeoutMs = 5_000): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.taken < this.messages.length) {
        const m = this.messages[this.taken++];
        if (event === undefined || m.event === event) return m;
      }
      if (this.done) throw new Error(`stream ended; got ${this.messages.map((m) => m.event).join(', ')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${event ?? 'message'}; got ${this.messages.map((m) => m.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Resolves once `n` comment lines arrived. */
  async commentsAtLeast(n: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.comments < n) {
      if (Date.now() > deadline || this.done) throw new Error(`only ${this.comments} comments`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Stops reading the response (the server's buffers fill up, as with a stalled client). */
  pause(): void {
    this.paused = true;
  }

  close(): Promise<void> {
    this.abort.abort();
    return this.ended;
  }
}
