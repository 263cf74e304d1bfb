import type { Request } from 'express';

/** Where clients reach this gateway: host with port, and whether over TLS. */
export interface PublicServer {
  host: string;
  secure: boolean;
}

const first = (req: Request, name: string): string | undefined => req.get(name)?.split(',')[0]?.trim() || undefined;

/**
 * The address the caller used, for the `servers` of the API documents. Behind a proxy the Host
 * header names the upstream (or lacks the public port), so with TRUST_PROXY the proxy's
 * X-Forwarded-Host, -Proto and -Port win; without it they are ignored, since any client could
 * send them.
 */
export function publicServer(req: Request, trustProxy: boolean): PublicServer {
  const proto = (trustProxy && first(req, 'x-forwarded-proto')) || (req.secure ? 'https' : 'http');
  const secure = proto === 'https' || proto === 'wss';
  let host = (trustProxy && first(req, 'x-forwarded-host')) || req.get('host') || 'localhost:3000';
  const port = trustProxy ? first(req, 'x-forwarded-port') : undefined;
  const defaultPort = secure ? '443' : '80';
  if (port && /^\d+$/.test(port) && port !== defaultPort && !/:\d+$/.test(host)) host = `${host}:${port}`;
  return { host, secure };
}
