/** Error codes carried in `error` frames (docs/PROTOCOL.md section 3, Errors). */
export const ErrorCode = {
  INVALID_JSON: 'INVALID_JSON',
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  UNKNOWN_TOPIC: 'UNKNOWN_TOPIC',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** WebSocket close codes (docs/PROTOCOL.md section 6). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  UNAUTHORIZED: 4401,
  FORBIDDEN: 4403,
  /** The resource of a per-resource endpoint does not exist. */
  NOT_FOUND: 4404,
  TOKEN_EXPIRED: 4408,
  SLOW_CONSUMER: 4409,
  TOO_MANY_CONNECTIONS: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** What a client should do after a close, so clients share one policy with the server. */
export type ReconnectAdvice = 'stop' | 'reconnect' | 'refresh-token' | 'backoff-long' | 'fix-client';

export function reconnectAdvice(code: number): ReconnectAdvice {
  switch (code) {
    case CloseCode.NORMAL:
    case CloseCode.UNAUTHORIZED:
    case CloseCode.FORBIDDEN:
    case CloseCode.NOT_FOUND:
      return 'stop';
    case CloseCode.TOKEN_EXPIRED:
      return 'refresh-token';
    case CloseCode.POLICY_VIOLATION:
    case CloseCode.TOO_MANY_CONNECTIONS:
      return 'backoff-long';
    case CloseCode.MESSAGE_TOO_BIG:
      return 'fix-client';
    default:
      // 1001, 4409, 1006 (network loss) and anything unknown: reconnect and resume.
      return 'reconnect';
  }
}
