import { ErrorCode } from '@tracklight/protocol';

export type TokenFailure = 'missing' | 'malformed' | 'signature' | 'expired' | 'not_before' | 'claims';

/** Why a token was refused; `code` is the contract's error code for it. */
export class TokenError extends Error {
  readonly code: typeof ErrorCode.UNAUTHORIZED | typeof ErrorCode.TOKEN_EXPIRED;

  constructor(
    readonly reason: TokenFailure,
    message: string,
  ) {
    super(message);
    this.code = reason === 'expired' ? ErrorCode.TOKEN_EXPIRED : ErrorCode.UNAUTHORIZED;
  }
}
