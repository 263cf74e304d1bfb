import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DEFAULT_ROLES, ROLES, type Role } from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Principal } from './principal.js';
import { TokenError } from './token-error.js';

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const MAX_TOKEN_LENGTH = 8192;

interface Claims {
  sub?: unknown;
  roles?: unknown;
  exp?: unknown;
}

/**
 * Verifies JWTs for both HTTP and WebSocket. The algorithm list is pinned to the configured key
 * type, so `alg: none` and HS256-signed-with-the-public-key (algorithm confusion) never pass.
 */
@Injectable()
export class TokenVerifier {
  /**
   * Built once. Given a string, jsonwebtoken parses it on every verify, first trying it as a PEM
   * public key (OpenSSL walks all its decoders and fails) before taking it as a secret: about
   * 1 ms per token, against some 10 µs with a ready KeyObject. Connects pay this, so it matters.
   */
  private readonly key: KeyObject;
  private readonly algorithms: ('HS256' | 'RS256' | 'ES256')[];

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (config.jwt.publicKey) {
      this.key = createPublicKey(config.jwt.publicKey);
      this.algorithms = ['RS256', 'ES256'];
    } else {
      this.key = createSecretKey(Buffer.from(config.jwt.secret ?? '', 'utf8'));
      this.algorithms = ['HS256'];
    }
  }

  verify(token: string | undefined | null): Principal {
    if (!token) throw new TokenError('missing', 'A token is required');
    if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
      throw new TokenError('malformed', 'The token is malformed');
    }
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims & object>(token, {
        // jsonwebtoken takes a KeyObject; @nestjs/jwt's option type only names string | Buffer.
        secret: this.key as unknown as Buffer,
        algorithms: this.algorithms,
        ...(this.config.jwt.issuer ? { issuer: this.config.jwt.issuer } : {}),
        ...(this.config.jwt.audience ? { audience: this.config.jwt.audience } : {}),
      });
    } catch (err) {
      throw this.translate(err);
    }
    return this.principal(claims);
  }

  private principal(claims: Claims): Principal {
    if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 200) {
      throw new TokenError('claims', 'The token has no valid sub claim');
    }
    if (typeof claims.exp !== 'number') throw new TokenError('claims', 'The token has no exp claim');
    let roles: Role[];
    if (claims.roles === undefined) {
      roles = [...DEFAULT_ROLES];
    } else if (Array.isArray(claims.roles) && claims.roles.every((r) => typeof r === 'string' && ROLE_SET.has(r))) {
      roles = [...new Set(claims.roles as Role[])];
    } else {
      throw new TokenError('claims', `The roles claim must be an array of ${ROLES.join(', ')}`);
    }
    return { userId: claims.sub, roles, expiresAt: new Date(claims.exp * 1000) };
  }

  private translate(err: unknown): TokenError {
    const name = err instanceof Error ? err.name : '';
    const message = err instanceof Error ? err.message : '';
    if (name === 'TokenExpiredError') return new TokenError('expired', 'The token has expired');
    if (name === 'NotBeforeError') return new TokenError('not_before', 'The token is not valid yet');
    if (/signature|algorithm/i.test(message)) return new TokenError('signature', 'The token signature is invalid');
    if (/audience|issuer/i.test(message))
      return new TokenError('claims', 'The token issuer or audience is not accepted');
    return new TokenError('malformed', 'The token is malformed');
  }
}
