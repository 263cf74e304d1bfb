/** Events per block: its typed arrays are allocated whole, 288 KiB, outside the V8 heap. */
export const BLOCK_EVENTS = 8192;
/** A block's frame bytes start this small (a quiet bus, a test) and double up to BLOCK_BYTES. */
const FIRST_BYTES = 64 * 1024;
export const BLOCK_BYTES = 4 * 1024 * 1024;

/**
 * A run of consecutive history events: their frames back to back in one Buffer, and per event its
 * id (as two numbers), publish time, byte end and topic number (HistoryTopics). Nothing
 * in it is one object per event, so V8's collector traces a few objects per block, whatever the
 * event rate; the whole block goes at once when its last event is trimmed.
 */
export class HistoryBlock {
  readonly ms = new Float64Array(BLOCK_EVENTS);
  readonly seq = new Float64Array(BLOCK_EVENTS);
  readonly time = new Float64Array(BLOCK_EVENTS);
  readonly ends = new Uint32Array(BLOCK_EVENTS);
  readonly topics = new Uint32Array(BLOCK_EVENTS);
  private bytes: Buffer;
  count = 0;
  private used = 0;

  constructor(firstFrameLength: number) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(FIRST_BYTES, firstFrameLength));
  }

  /** False when the block is full (events or bytes); a frame bigger than a block gets one of its own. */
  fits(frameLength: number): boolean {
    if (this.count === BLOCK_EVENTS) return false;
    return this.count === 0 || this.used + frameLength <= BLOCK_BYTES;
  }

  append(ms: number, seq: number, time: number, topic: number, frame: Buffer): void {
    const needed = this.used + frame.length;
    if (needed > this.bytes.length) this.grow(needed);
    frame.copy(this.bytes, this.used);
    this.used = needed;
    const i = this.count;
    this.ms[i] = ms;
    this.seq[i] = seq;
    this.time[i] = time;
    this.ends[i] = needed;
    this.topics[i] = topic;
    this.count = i + 1;
  }

  /** The frame of event `i`: a view of the block's bytes, never written again. */
  frame(i: number): Buffer {
    return this.bytes.subarray(i === 0 ? 0 : this.ends[i - 1], this.ends[i]);
  }

  /** Index of the event with this id, or -1. */
  find(ms: number, seq: number, from: number): number {
    let lo = from;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = this.ms[mid] - ms || this.seq[mid] - seq;
      if (cmp === 0) return mid;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private grow(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const bytes = Buffer.allocUnsafeSlow(Math.max(needed, Math.min(size, BLOCK_BYTES)));
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }
}
