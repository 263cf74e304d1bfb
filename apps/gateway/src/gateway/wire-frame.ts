// Where the fan-out finds the event text it frames (the bus renders it once for its history).
export { eventJson } from '../bus/event-json.js';

/**
 * A complete, unmasked WebSocket text frame (RFC 6455 section 5.2) holding `text`, in one buffer:
 * built once per event and written as-is to every subscriber's socket. Server frames are never
 * masked and permessage-deflate is off, so the bytes are the same for every client.
 */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text, 'utf8');
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
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
  frame.write(text, headerLength, 'utf8');
  return frame;
}
