import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { resolveEndpoint, type ResolvedEndpoint } from '@tracklight/protocol';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import { bearerToken } from '../auth/bearer.js';
import type { Principal } from '../auth/principal.js';
import { TokenError } from '../auth/token-error.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import { HandshakeLimiter } from './handshake-limiter.js';

/** An upgrade that may proceed; authentication failures still upgrade, to send an error frame. */
export interface Admission extends ResolvedEndpoint {
  remoteAddress: string;
  /** A per-resource endpoint's `since` query parameter: the connect resumes instead of a snapshot. */
  since?: string;
  auth: Principal | TokenError;
}

/** An upgrade refused with a plain HTTP answer before any WebSocket exists. */
export interface Refusal {
  status: 403 | 404 | 429;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Everything decided from the HTTP upgrade request alone: path, origin, per-IP handshake rate
 * and the token. Synchronous, so a flood of handshakes costs no promise per request.
 */
@Injectable()
export class UpgradeGate {
  private readonly admissions = new WeakMap<IncomingMessage, Admission>();
  private readonly handshakes: HandshakeLimiter | undefined;
  private readonly origins: ReadonlySet<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
    private readonly metrics: GatewayMetrics,
  ) {
    const perSecond = config.ws.handshakesPerSecondPerIp;
    this.handshakes = perSecond > 0 ? new HandshakeLimiter(perSecond) : undefined;
    this.origins = new Set(config.ws.allowedOrigins);
  }

  check(req: IncomingMessage): Refusal | Admission {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const resolved = resolveEndpoint(url.pathname);
    if (!resolved) return { status: 404, message: 'No WebSocket endpoint at this path' };
    const origin = req.headers.origin;
    if (this.origins.size > 0 && origin !== undefined && !this.origins.has(origin)) {
      return { status: 403, message: 'Origin not allowed' };
    }
    const remoteAddress = this.clientAddress(req);
    if (this.handshakes && !this.handshakes.allow(remoteAddress)) {
      return { status: 429, message: 'Too many handshakes from this address', headers: { 'Retry-After': '1' } };
    }
    const token = url.searchParams.get('token') ?? bearerToken(req.headers.authorization);
    let auth: Principal | TokenError;
    try {
      auth = this.verifier.verify(token);
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      this.metrics.authFailed(err.reason, 'ws_upgrade');
      auth = err;
    }
    const admission: Admission = { ...resolved, remoteAddress, auth };
    const since = resolved.resource ? url.searchParams.get('since') : null;
    if (since) admission.since = since;
    this.admissions.set(req, admission);
    return admission;
  }

  /** The admission decided for this request's upgrade (read once by the connection handler). */
  admissionOf(req: IncomingMessage): Admission | undefined {
    return this.admissions.get(req);
  }

  /**
   * X-Forwarded-For is only believed behind a proxy the operator declared trusted, and only its
   * last entry: that is the one the trusted proxy appended. Earlier entries come from the client
   * and could be forged to dodge the per-IP limits.
   */
  clientAddress(req: IncomingMessage): string {
    if (this.config.ws.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
      if (last) return last;
    }
    return req.socket.remoteAddress ?? 'unknown';
  }
}

export function isRefusal(result: Refusal | Admission): result is Refusal {
  return 'status' in result;
}
