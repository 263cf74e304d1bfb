import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '@tracklight/protocol';
import { bearerToken } from './bearer.js';
import { hasAnyRole, type Principal } from './principal.js';
import { TokenError } from './token-error.js';
import { TokenVerifier } from './token-verifier.js';

export const ROLES_KEY = 'tracklight:roles';

export type AuthedRequest = Request & { principal?: Principal };

/** 401 without a valid bearer token, 403 when the route's roles are not held. */
@Injectable()
export class HttpAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    let principal: Principal;
    try {
      principal = this.verifier.verify(bearerToken(req.headers.authorization));
    } catch (err) {
      if (err instanceof TokenError) {
        throw new UnauthorizedException({
          statusCode: 401,
          error: 'Unauthorized',
          code: err.code,
          message: err.message,
        });
      }
      throw err;
    }
    req.principal = principal;
    const roles =
      this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    if (!hasAnyRole(principal, roles)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `Requires one of the roles: ${roles.join(', ')}`,
      });
    }
    return true;
  }
}
