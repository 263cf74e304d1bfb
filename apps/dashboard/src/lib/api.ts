/** HTTP calls to the gateway (same origin), with the session's token as Authorization: Bearer. */
/** A 400's failing fields, as the gateway lists them: `{ field: 'stops[2].latitude', errors: [...] }`. */
export interface FieldError {
  field: string;
  errors: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function apiError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { message?: unknown; fields?: unknown };
    const fields = Array.isArray(body.fields) ? (body.fields as FieldError[]) : [];
    const message = fields.length
      ? fields.map((f) => f.errors.join('; ')).join('; ')
      : Array.isArray(body.message)
        ? body.message.join('; ')
        : typeof body.message === 'string'
          ? body.message
          : res.statusText;
    return new ApiError(res.status, message, fields);
  } catch {
    return new ApiError(res.status, res.statusText || `HTTP ${res.status}`);
  }
}

export async function api<T>(
  path: string,
  token: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (!res.ok) throw await apiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Lists come as `{ items }` pages from most routes; accept a bare array too. */
export function itemsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)) {
    return (body as { items: T[] }).items;
  }
  return [];
}

/** The gateway's development sign-in; null when it is disabled (production answers 404). */
export async function devLogin(sub: string, roles: string[]): Promise<string | null> {
  const res = await fetch('/auth/dev-login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ sub, roles }),
  });
  if (res.status === 404) return null;
  if (!res.ok) throw await apiError(res);
  return ((await res.json()) as { token: string }).token;
}

export function wsUrl(path = '/ws/connect'): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}`;
}
