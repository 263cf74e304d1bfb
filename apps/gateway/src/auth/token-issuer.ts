import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Role } from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface IssueOptions {
  sub: string;
  roles?: Role[];
  /** Lifetime in seconds. */
  expiresIn?: number;
}

/** Signs HS256 tokens with the configured secret: for `npm run token` and the dev login only. */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canIssue(): boolean {
    return !!this.config.jwt.secret;
  }

  issue({ sub, roles, expiresIn = 8 * 3600 }: IssueOptions): string {
    if (!this.config.jwt.secret)
      throw new Error('Tokens cannot be issued here: the gateway verifies with a public key');
    const payload: Record<string, unknown> = { sub };
    if (roles) payload.roles = roles;
    // jsonwebtoken rejects options that are present but undefined.
    const { issuer, audience } = this.config.jwt;
    return this.jwt.sign(payload, {
      secret: this.config.jwt.secret,
      algorithm: 'HS256',
      expiresIn,
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    });
  }
}
