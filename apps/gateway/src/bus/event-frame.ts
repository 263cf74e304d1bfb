import type { BusEvent } from './event-bus.js';
import { eventJson } from './event-json.js';

/**
 * A complete, unmasked WebSocket text frame (RFC 6455 section 5.2) holding `text`, in one buffer:
 * built once per event and written as-is to every subscriber's socket. Server frames are never
 * masked and permessage-deflate is off, so the bytes are the same for every client.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const frame = frameWithHeader(0x81, length); // FIN + opcode 1 (text)
  frame.write(text, headerLength(frame), 'utf8');
  return frame;
}

/** The same for a binary frame (MessagePack connections). */
export function binaryFrame(payload: Uint8Array): Buffer {
  const frame = frameWithHeader(0x82, payload.length); // FIN + opcode 2 (binary)
  frame.set(payload, headerLength(frame));
  return frame;
}

function frameWithHeader(first: number, length: number): Buffer {
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = first;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  return frame;
}

/** Where the text starts in a frame built by textFrame(). */
function headerLength(frame: Buffer): number {
  const len = frame[1] & 0x7f;
  return len < 126 ? 2 : len === 126 ? 4 : 10;
}

/** The text a frame built by textFrame() carries. */
export function frameText(frame: Buffer): string {
  return frame.toString('utf8', headerLength(frame));
}

/**
 * The payload of a frame built here, as a view (no copy): what a connection that negotiated
 * permessage-deflate hands to ws's own send, which frames (and compresses) it itself.
 */
export function framePayload(frame: Buffer): Buffer {
  return frame.subarray(headerLength(frame));
}

/** The last event eventFrame() built: the history and then the fan-out ask for the same one. */
let lastEvent: BusEvent | undefined;
let lastFrame: Buffer | undefined;

/**
 * The event's WebSocket frame, built once: a bus appends each event to its history and then
 * emits it in the same tick, and the one-entry memo lets the history keep, and the fan-out send,
 * the same Buffer. Frames are never written to after they are built.
 */
export function eventFrame(event: BusEvent): Buffer {
  if (event === lastEvent && lastFrame) return lastFrame;
  const frame = textFrame(eventJson(event));
  lastEvent = event;
  lastFrame = frame;
  return frame;
}
