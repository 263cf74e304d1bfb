export const ROLES = ['viewer', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const DEFAULT_ROLES: readonly Role[] = ['viewer'];
