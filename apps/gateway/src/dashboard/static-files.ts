import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that belong to the API even when no route matched: they keep Nest's JSON 404. */
const API_PREFIXES = [
  '/ws',
  '/auth',
  '/packages',
  '/anomalies',
  '/metrics',
  '/agents',
  '/schedules',
  '/notifications',
  '/health',
  '/docs',
  '/api',
];

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

function send(req: IncomingMessage, res: ServerResponse, file: string, size: number, cache: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', size);
  res.setHeader('Cache-Control', cache);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Serves the built dashboard: files under `root`, and index.html for browser navigations to paths
 * no file or route matched (SPA fallback). Mounted after every Nest route, so API routes win.
 */
export function dashboardHandler(root: string) {
  const base = resolve(root);
  const index = join(base, 'index.html');
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return next();
    }
    if (path.includes('\0') || isApiPath(path)) return next();
    const file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return next();
    const stat = existsSync(file) ? statSync(file) : undefined;
    if (stat?.isFile()) {
      // Vite fingerprints everything under assets/, so those may be cached for good.
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return send(req, res, file, stat.size, cache);
    }
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if ((path === '/' || (wantsHtml && !extname(path))) && existsSync(index)) {
      return send(req, res, index, statSync(index).size, 'no-cache');
    }
    next();
  };
}
