import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { pino } from 'pino';

/** Lines wait in memory until this many bytes are pending, or until the next periodic flush. */
const BUFFER_BYTES = 4096;
const FLUSH_EVERY_MS = 1000;

export type LogDestination = ReturnType<typeof pino.destination>;

/**
 * stdout, buffered: a synchronous write per line costs a system call on the connect/subscribe
 * paths, so lines are batched (at most about a second late). pino flushes the buffer on process
 * exit; the gateway also flushes it at shutdown.
 */
export function logDestination(): LogDestination {
  return pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES });
}

/** Flushes the buffered destination every second, and synchronously at shutdown. */
export class LogFlusher implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly destination: LogDestination | undefined) {}

  onModuleInit(): void {
    if (!this.destination) return;
    const destination = this.destination;
    this.timer = setInterval(() => destination.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    try {
      this.destination?.flushSync();
    } catch {
      // Not open yet, or already closed: nothing left to lose.
    }
  }
}
