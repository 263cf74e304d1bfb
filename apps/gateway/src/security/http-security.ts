import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';

/**
 * HTTP hardening applied once in bootstrap:
 * - helmet's security headers. The CSP fits what the gateway serves itself (the dashboard bundle,
 *   Swagger UI at /docs): scripts and connections (fetch, WebSocket) to this origin only. No
 *   upgrade-insecure-requests: plain-HTTP deployments behind a TLS-less internal LB must work.
 * - CORS only for the ALLOWED_ORIGINS list (the same list the WebSocket upgrade checks); with no
 *   list, no CORS headers at all, so browsers keep other sites from calling the API.
 * - `trust proxy` follows TRUST_PROXY, so req.ip (HTTP rate limits, logs) is the client's address
 *   from X-Forwarded-For only behind a proxy the operator declared trusted, as for WebSockets.
 */
export function applyHttpSecurity(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  // One trusted hop (the load balancer): req.ip is the last X-Forwarded-For entry, as for WebSockets.
  express.set('trust proxy', config.ws.trustProxy ? 1 : false);
  express.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'upgrade-insecure-requests': null,
        },
      },
      // Not includeSubDomains: this header must not decide for other services of the domain.
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    }),
  );
  const origins = config.ws.allowedOrigins;
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['Retry-After'],
      maxAge: 600,
    });
  }
}
