import { createHmac } from 'node:crypto';
import { TEST_SECRET } from './app.js';

function b64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export interface TokenOptions {
  sub?: string;
  roles?: unknown;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  secret?: string;
  claims?: Record<string, unknown>;
}

/** HS256 token signed by hand, so tests can also craft the malformed and hostile ones. */
export function token({
  sub = 'alice',
  roles,
  expiresIn = 3600,
  secret = TEST_SECRET,
  claims = {},
}: TokenOptions = {}): string {
  const payload: Record<string, unknown> = { sub, exp: Math.floor(Date.now() / 1000) + expiresIn, ...claims };
  if (roles !== undefined) payload.roles = roles;
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** An unsigned `alg: none` token, which must always be refused. */
export function noneToken(sub = 'mallory', roles: string[] = ['admin']): string {
  const payload = { sub, roles, exp: Math.floor(Date.now() / 1000) + 3600 };
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

export const viewer = (sub = 'vera'): string => token({ sub, roles: ['viewer'] });
export const ops = (sub = 'otto'): string => token({ sub, roles: ['ops'] });
export const admin = (sub = 'ada'): string => token({ sub, roles: ['admin'] });
