import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@tracklight/protocol';
import { HttpAuthGuard, ROLES_KEY, type AuthedRequest } from './http-auth.guard.js';
import type { Principal } from './principal.js';

/** Requires a valid bearer token and, when roles are given, one of them. */
export function Auth(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROLES_KEY, roles), UseGuards(HttpAuthGuard));
}

/** The Principal of an @Auth() route. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('@CurrentUser() used on a route without @Auth()');
  return principal;
});
