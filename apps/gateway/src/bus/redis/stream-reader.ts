import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { compareEventIds, parseEventId } from '../event-id.js';

/** The greatest id below `id` (ids are `<ms>-<seq>`). */
function idBefore(id: string): string {
  const [ms, seq] = parseEventId(id) ?? [0, 0];
  return seq > 0 ? `${ms}-${seq - 1}` : `${Math.max(ms - 1, 0)}-${Number.MAX_SAFE_INTEGER}`;
}
import { whenReady } from './redis-client.js';
import type { RawStreamEntry } from './stream-entry.js';

export interface StreamReaderOptions {
  /** How long one XREAD blocks; bounds how long a stop waits for the loop. */
  blockMs: number;
  batch: number;
}

interface Waiter {
  id: string;
  resolve: () => void;
}

/**
 * Follows the stream with a blocking XREAD loop on its own connection and hands every entry
 * to `deliver` in stream order, exactly once. The cursor is the id of the last entry handed
 * over; after a reconnect the loop continues from it, so nothing is delivered twice.
 */
export class StreamReader {
  private readonly logger = new Logger(StreamReader.name);
  private cursorId: string | undefined;
  private stopped = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private waiters: Waiter[] = [];

  /** Set by any interruption; the next read first checks whether trimming overtook the cursor. */
  private interrupted = false;

  constructor(
    private readonly client: Redis,
    private readonly key: string,
    private readonly deliver: (entries: RawStreamEntry[]) => void,
    private readonly options: StreamReaderOptions,
    /** Called with the id up to which entries may have been lost unread (trimmed, or Redis lost data). */
    private readonly onGap: (trimmedUpTo: string) => void = () => undefined,
  ) {}

  /**
   * Everything after the cursor will be delivered; nothing at or before it will be. Undefined
   * until the reader has reached Redis once.
   */
  get cursor(): string | undefined {
    return this.cursorId;
  }

  /**
   * Starts following from the current end of the stream. When Redis is reachable the start
   * position is fixed before this resolves, so an event published right after is delivered.
   */
  async start(readyTimeoutMs: number): Promise<void> {
    if (await whenReady(this.client, readyTimeoutMs)) {
      try {
        this.cursorId = await this.tail();
      } catch {
        // The loop retries once the connection is back.
      }
    }
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.client.disconnect();
    await this.running;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  /** Resolves true once the cursor has reached `id`, false after `timeoutMs`. */
  reached(id: string, timeoutMs: number): Promise<boolean> {
    if (this.cursorId && compareEventIds(this.cursorId, id) >= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        id,
        resolve: () => {
          clearTimeout(timer);
          resolve(!this.stopped);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private async tail(): Promise<string> {
    const last = (await this.client.xrevrange(this.key, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    return last.length ? last[0][0] : '0-0';
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.client.status !== 'ready') {
        this.interrupted = true;
        await whenReady(this.client, 1_000, this.abort.signal);
        continue;
      }
      try {
        this.cursorId ??= await this.tail();
        if (this.interrupted) await this.checkGap();
        const res = await this.client.xread(
          'COUNT',
          this.options.batch,
          'BLOCK',
          this.options.blockMs,
          'STREAMS',
          this.key,
          this.cursorId,
        );
        if (!res) continue;
        for (const [, entries] of res) {
          if (!entries.length) continue;
          this.cursorId = entries[entries.length - 1][0];
          this.deliver(entries);
        }
        this.wake();
      } catch (err) {
        if (this.stopped) break;
        this.interrupted = true;
        // Connection errors end up here; the status check above waits for the reconnect.
        if (this.client.status === 'ready') {
          this.logger.warn(`XREAD failed: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 200).unref());
        }
      }
    }
  }

  /**
   * After a disconnection the stream may have been trimmed past entries this reader never got
   * (another instance kept publishing for longer than the retention), or Redis may have lost
   * data. Trimming only removes the oldest entries, so while the cursor's own entry is still
   * there nothing after it is missing. When it is gone and newer entries exist, the entries in
   * between cannot be vouched for: `onGap` gets the id just before the first one still there.
   */
  private async checkGap(): Promise<void> {
    const cursor = this.cursorId;
    this.interrupted = false;
    if (!cursor || cursor === '0-0') return;
    const res = await this.client
      .multi()
      .xrange(this.key, cursor, cursor)
      .xrange(this.key, `(${cursor}`, '+', 'COUNT', 1)
      .exec();
    if (!res || res[0][0] || res[1][0]) throw new Error('stream check failed');
    const stillThere = (res[0][1] as RawStreamEntry[]).length > 0;
    const next = (res[1][1] as RawStreamEntry[])[0];
    if (!stillThere && next) this.onGap(idBefore(next[0]));
  }

  private wake(): void {
    const cursor = this.cursorId;
    if (!cursor || !this.waiters.length) return;
    const due = this.waiters.filter((w) => compareEventIds(cursor, w.id) >= 0);
    if (!due.length) return;
    this.waiters = this.waiters.filter((w) => !due.includes(w));
    for (const w of due) w.resolve();
  }
}
