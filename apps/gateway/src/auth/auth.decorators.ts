import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '@tracklight/protocol';
import { HttpAuthGuard, ROLES_KEY, type AuthedRequest } from './http-auth.guard.js';
import type { Principal } from './principal.js';

/** The OpenAPI extension naming the roles an @Auth() route accepts (empty: any valid token). */
export const ROLES_EXTENSION = 'x-roles';

/**
 * Requires a valid bearer token and, when roles are given, one of them. Also declares it in the
 * OpenAPI document (the roles, from which buildOpenApiDocument adds bearer security and the 401
 * and 403 answers), so no protected route can be documented as open.
 */
export function Auth(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROLES_KEY, roles), UseGuards(HttpAuthGuard), ApiExtension(ROLES_EXTENSION, roles));
}

/** The Principal of an @Auth() route. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('@CurrentUser() used on a route without @Auth()');
  return principal;
});
