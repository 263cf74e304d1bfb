import { startApp, type TestApp } from '../support/app.js';
import { ops, viewer } from '../support/tokens.js';
import { connect, connected } from '../support/ws.js';

const pkg = (trackingNumber: string): object => ({
  trackingNumber,
  carrier: 'DHL',
  origin: { name: 'Lyon', latitude: 45.76, longitude: 4.84 },
  destination: { name: 'Paris', latitude: 48.86, longitude: 2.35 },
  estimatedDelivery: new Date(Date.now() + 86_400_000).toISOString(),
});

function post(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.http}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ops()}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('HTTP hardening: defaults', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('security headers (helmet) on API answers, errors included; no X-Powered-By', async () => {
    for (const res of [
      await fetch(`${t.http}/health`),
      await fetch(`${t.http}/packages`),
      await fetch(`${t.http}/no-such-api/x`, { headers: { accept: 'application/json' } }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'self'");
      // Plain-HTTP deployments must keep working.
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('no CORS headers without ALLOWED_ORIGINS: other sites cannot read or preflight the API', async () => {
    const get = await fetch(`${t.http}/health`, { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${t.http}/packages`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('bounded bodies: over 1 MB is 413 (not 500), malformed JSON is 400', async () => {
    const huge = JSON.stringify({ ...pkg('TNHUGE1'), pad: 'x'.repeat(1024 * 1024 + 10) });
    const tooBig = await post(t, '/packages', huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('x-content-type-options')).toBe('nosniff');
    const malformed = await post(t, '/packages', '{"trackingNumber": ');
    expect(malformed.status).toBe(400);
  });

  it('deeply nested bodies and prototype keys are 400 on every write route, not a crash (500)', async () => {
    const deep = [`${'['.repeat(5000)}${']'.repeat(5000)}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`];
    for (const path of ['/packages', '/packages/TN1/scans', '/schedules', '/agents/a1/heartbeat', '/auth/dev-login']) {
      for (const body of deep) {
        const res = await post(t, path, body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { message: string }).message).toContain('deeper than 32 levels');
      }
    }
    // Prototype keys anywhere: refused at the edge (class-transformer instantiates through them).
    for (const path of ['/packages', '/schedules', '/agents/a1/heartbeat', '/auth/dev-login']) {
      for (const body of ['{"x":{"constructor":[]}}', '{"__proto__":{"roles":["admin"]}}', '{"a":[{"prototype":1}]}']) {
        const res = await post(t, path, body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { message: string }).message).toContain('forbidden key');
      }
    }
    // Ordinary nesting (a schedule's stops) is untouched.
    const nested = await post(t, '/packages', { ...pkg('TNNEST1'), origin: { name: 'x', latitude: 1, longitude: 1 } });
    expect(nested.status).toBe(201);
  });

  it('HTTP rate limits are off unless configured', async () => {
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => post(t, '/agents/agent-off/heartbeat', { name: `a${i}`, state: 'online' })),
    );
    expect(answers.map((r) => r.status).filter((s) => s === 429)).toEqual([]);
  });
});

describe('HTTP hardening: configured (HTTP_RATE_LIMIT, ALLOWED_ORIGINS, TRUST_PROXY)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      HTTP_RATE_LIMIT: '3',
      HTTP_RATE_WINDOW_MS: '60000',
      TRUST_PROXY: 'on',
      ALLOWED_ORIGINS: 'https://good.example,https://also.example',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an ingest route answers 429 with Retry-After past the limit, per client address', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await post(t, '/packages', pkg(`TNRL${i}`), from('203.0.113.9'));
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const retryAfter = Number(limited?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited?.json()).toMatchObject({ statusCode: 429 });
    // Another client (forwarded address) has its own budget.
    expect((await post(t, '/packages', pkg('TNRLX'), from('198.51.100.4'))).status).toBe(201);
  });

  it('the limit runs before authentication, and reads are not limited', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.10' };
    const noAuth = await Promise.all(
      Array.from({ length: 5 }, () => post(t, '/schedules', {}, { ...ip, authorization: 'Bearer nope' })),
    );
    expect(noAuth.map((r) => r.status).sort()).toEqual([401, 401, 401, 429, 429]);
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${t.http}/packages`, { headers: { ...ip, authorization: `Bearer ${viewer()}` } });
      expect(res.status).toBe(200);
    }
  });

  it('CORS answers listed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.http}/packages`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const good = await preflight('https://also.example');
    expect(good.status).toBe(204);
    expect(good.headers.get('access-control-allow-origin')).toBe('https://also.example');
    expect(good.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${t.http}/health`, { headers: { origin: 'https://good.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://good.example');
  });

  it('cross-site WebSocket hijacking: a browser on another site cannot open a socket', async () => {
    const evil = connect(t.ws, '/ws/packages', { token: viewer(), headers: { origin: 'https://evil.example' } });
    await expect(evil.opened).rejects.toThrow('HTTP 403');
    const good = await connected(t.ws, '/ws/packages', {
      token: viewer(),
      headers: { origin: 'https://good.example' },
    });
    // Non-browser clients send no Origin and are authenticated by their token alone.
    const script = await connected(t.ws, '/ws/packages', { token: viewer() });
    await Promise.all([good.close(), script.close()]);
  });
});

describe('per-IP WebSocket limits without a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ WS_MAX_CONNECTIONS_PER_IP: '2', WS_HANDSHAKES_PER_SECOND_PER_IP: '50' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('a forged X-Forwarded-For does not get around the per-IP cap (4429)', async () => {
    const a = await connected(t.ws, '/ws/connect', { token: viewer('u1'), headers: { 'x-forwarded-for': '1.1.1.1' } });
    const b = await connected(t.ws, '/ws/connect', { token: viewer('u2'), headers: { 'x-forwarded-for': '2.2.2.2' } });
    const c = connect(t.ws, '/ws/connect', { token: viewer('u3'), headers: { 'x-forwarded-for': '3.3.3.3' } });
    expect((await c.closed).code).toBe(4429);
    expect(c.frames[0]?.data).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await a.close();
    const d = await connected(t.ws, '/ws/connect', { token: viewer('u4') });
    await Promise.all([b.close(), d.close()]);
  });
});
