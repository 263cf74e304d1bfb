/**
 * What never reaches a log line: tokens travel in the `token` query parameter and the
 * Authorization header, so both are censored, and URLs are logged without their query string.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'req.query.token',
  'req.query',
  'res.headers["set-cookie"]',
];

/** `/ws/packages?token=abc` -> `/ws/packages`. */
export function withoutQuery(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, unknown>;
}

/** pino-http request serializer: method, path without query, caller; no headers, no query. */
export function serializeRequest(req: SerializedRequest): Record<string, unknown> {
  return {
    id: req.id,
    method: req.method,
    url: withoutQuery(req.url),
    remoteAddress: req.remoteAddress,
    userAgent: req.headers?.['user-agent'],
  };
}
