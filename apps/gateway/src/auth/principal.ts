import type { Role } from '@tracklight/protocol';

/** The authenticated caller, from a verified JWT. */
export interface Principal {
  userId: string;
  roles: Role[];
  expiresAt: Date;
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.length === 0 || principal.roles.some((r) => roles.includes(r));
}
