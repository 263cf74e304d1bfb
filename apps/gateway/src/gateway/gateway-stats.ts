import { Injectable } from '@nestjs/common';

/** Counters for GET /ws/status. Plain numbers: incremented on the hot path. */
@Injectable()
export class GatewayStats {
  readonly startedAt = Date.now();
  /** Client frames received. */
  messagesIn = 0;
  /** Frames sent to clients (events, replies, errors). */
  messagesOut = 0;
  // Drops are counted once, in GatewayMetrics (`dropped`), which GET /ws/status reads too.
}
