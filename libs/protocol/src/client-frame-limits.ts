import { MAX_REF_LENGTH, MAX_TOPICS_PER_REQUEST } from './frames.js';

/**
 * The bounds of every client frame, declared once: the class-validator DTOs (the full parser), the
 * JSON Schema in the AsyncAPI document and the gateway's fast path all read them from here, so the
 * three cannot disagree. Lengths count UTF-16 code units, as `String.length` and JSON Schema do.
 */
export const CLIENT_FRAME_LIMITS = {
  refLength: MAX_REF_LENGTH,
  topicsPerRequest: MAX_TOPICS_PER_REQUEST,
  /**
   * The longest valid topic today is `schedule:` (9) plus a 100-character key (topics.ts allows
   * keys of 1 to 100 characters) = 109. 128 fits it with room for a family prefix of up to 28
   * characters, while a 200-character name can never be a topic and is refused before any lookup.
   * client-frame-limits.spec.ts fails if a valid topic ever outgrows it.
   */
  topicLength: 128,
  /** An event id is `<ms>-<seq>`: two 64-bit decimals and a dash fit in 41; 64 leaves margin. */
  sinceLength: 64,
  /** A JWT with a generous claim set; anything longer is not a token this gateway issued. */
  tokenLength: 8192,
  carrierLength: 100,
  bboxDegrees: 180,
} as const;
