import { ROLES, type Role } from '@tracklight/protocol';

/** Who is signed in. Kept in sessionStorage: closing the tab signs out. */
export interface Session {
  token: string;
  sub: string;
  roles: Role[];
  /** Dev-login sessions can fetch a fresh token themselves; pasted ones cannot. */
  source: 'dev' | 'pasted';
}

const KEY = 'tracklight.session';

export function claimsOf(token: string): { sub?: string; roles?: Role[]; exp?: number } | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as { sub?: unknown; roles?: unknown; exp?: unknown };
    const roles = Array.isArray(claims.roles)
      ? claims.roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r))
      : undefined;
    return {
      sub: typeof claims.sub === 'string' ? claims.sub : undefined,
      roles,
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
    };
  } catch {
    return undefined;
  }
}

export function sessionFromToken(token: string, source: Session['source']): Session | Error {
  const claims = claimsOf(token.trim());
  if (!claims?.sub) return new Error('That does not look like a Tracklight token (no sub claim).');
  if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) return new Error('That token has expired.');
  return { token: token.trim(), sub: claims.sub, roles: claims.roles?.length ? claims.roles : ['viewer'], source };
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as Session;
    const session = sessionFromToken(stored.token, stored.source);
    return session instanceof Error ? null : session;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export const canOperate = (session: Session): boolean =>
  session.roles.includes('ops') || session.roles.includes('admin');
