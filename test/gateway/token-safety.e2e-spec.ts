import { spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/redis.js';
import { startApp, type TestApp } from '../support/app.js';
import { noneToken, token } from '../support/tokens.js';
import { connect, connected } from '../support/ws.js';

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'mallory',
  roles: ['admin'],
  exp: Math.floor(Date.now() / 1000) + 3600,
  ...extra,
});

function hs256(payload: object, secret: string | Buffer): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** Connecting must be refused with one UNAUTHORIZED error frame and close 4401. */
async function expectRefused(t: TestApp, jwt: string, messagePart?: string): Promise<void> {
  const c = connect(t.ws, '/ws/connect', { token: jwt });
  const closed = await c.closed;
  expect(closed.code).toBe(4401);
  expect(c.frames).toHaveLength(1);
  expect(c.frames[0].data).toMatchObject({ code: 'UNAUTHORIZED' });
  if (messagePart) expect(c.frames[0].data.message).toContain(messagePart);
  const http = await fetch(`${t.http}/packages`, { headers: { authorization: `Bearer ${jwt}` } });
  expect(http.status).toBe(401);
}

async function expectAccepted(t: TestApp, jwt: string): Promise<void> {
  const c = await connected(t.ws, '/ws/connect', { token: jwt });
  await c.close();
  const http = await fetch(`${t.http}/packages`, { headers: { authorization: `Bearer ${jwt}` } });
  expect(http.status).toBe(200);
}

describe('token safety: RS256 deployment (JWT_PUBLIC_KEY)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const rs256 = (payload: object): string => {
    const head = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(payload)}`;
    return `${head}.${sign('sha256', Buffer.from(head), privateKey).toString('base64url')}`;
  };
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ JWT_PUBLIC_KEY: pem });
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a token signed with the private key', async () => {
    await expectAccepted(t, rs256(claims()));
  });

  it('algorithm confusion: HS256 signed with the public key as HMAC secret is refused', async () => {
    await expectRefused(t, hs256(claims(), pem), 'signature');
    // The same with the key as DER bytes, and with the PEM's escaped-newline form.
    await expectRefused(t, hs256(claims(), publicKey.export({ type: 'spki', format: 'der' })));
    await expectRefused(t, hs256(claims(), pem.replace(/\n/g, '\\n')));
  });

  it('an HS256 token with the old shared secret is refused once a public key is configured', async () => {
    await expectRefused(t, token({ sub: 'mallory', roles: ['admin'] }));
  });

  it('alg none, and an RS256 header over a tampered payload, are refused', async () => {
    await expectRefused(t, noneToken());
    const genuine = rs256(claims({ roles: ['viewer'] }));
    const [head, , sig] = genuine.split('.');
    await expectRefused(t, `${head}.${b64url(claims({ roles: ['admin'] }))}.${sig}`);
  });
});

describe('token safety: registered claims', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ JWT_ISSUER: 'https://issuer.example', JWT_AUDIENCE: 'tracklight' });
  });
  afterAll(async () => {
    await t.close();
  });
  const good = { iss: 'https://issuer.example', aud: 'tracklight' };

  it('accepts the configured issuer and audience (aud may be a list)', async () => {
    await expectAccepted(t, token({ claims: good }));
    await expectAccepted(t, token({ claims: { ...good, aud: ['other', 'tracklight'] } }));
  });

  it.each([
    ['a wrong issuer', { ...good, iss: 'https://evil.example' }],
    ['a wrong audience', { ...good, aud: 'someone-else' }],
    ['no issuer', { aud: 'tracklight' }],
    ['no audience', { iss: 'https://issuer.example' }],
  ])('refuses %s', async (_name, extra) => {
    await expectRefused(t, token({ claims: extra }), 'issuer or audience');
  });

  it('refuses a token whose nbf is in the future (and accepts one already valid)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(t, token({ claims: { ...good, nbf: now + 600 } }), 'not valid yet');
    await expectAccepted(t, token({ claims: { ...good, nbf: now - 5 } }));
  });

  it('auth with a not-yet-valid token keeps the current credentials', async () => {
    const c = await connected(t.ws, '/ws/connect', { token: token({ sub: 'alice', claims: good }) });
    const nbf = Math.floor(Date.now() / 1000) + 600;
    const reply = await c.request('auth', { token: token({ sub: 'alice', claims: { ...good, nbf } }) });
    expect(reply.data).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await c.request('ping')).type).toBe('pong');
    await c.close();
  });
});

describe('token safety: nothing secret in the logs', () => {
  it('a debug-level run with tokens in queries, headers, auth frames and HTTP writes none of them', async () => {
    const secret = `log-scan-secret-${randomBytes(16).toString('hex')}`;
    const metricsToken = `metrics-scan-${randomBytes(12).toString('hex')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'tracklight-logscan-'));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', './test/durability-support/register.mjs', 'apps/gateway/src/main.ts'],
      {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'development',
          LOG_LEVEL: 'debug',
          JWT_SECRET: secret,
          METRICS_TOKEN: metricsToken,
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: dataDir,
          SIMULATOR: 'off',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let logs = '';
    child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const http = `http://127.0.0.1:${port}`;
    const ws = `ws://127.0.0.1:${port}`;
    const used: string[] = [];
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${http}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway did not start: ${logs}`);
        await new Promise((r) => setTimeout(r, 100));
      }

      const mint = (opts: Parameters<typeof token>[0]): string => {
        const jwt = token({ secret, ...opts });
        used.push(jwt);
        return jwt;
      };
      const forged = hs256(claims(), 'not-the-secret-at-all-not-the-secret');
      const expired = mint({ sub: 'late', expiresIn: -60 });
      used.push(forged);

      // WebSocket: query, header, refused tokens, auth frames (good and bad).
      const q = await connected(ws, '/ws/packages', { token: mint({ sub: 'q-user' }) });
      const h = await connected(ws, '/ws/dashboard', { token: mint({ sub: 'h-user' }), header: true });
      expect((await h.request('auth', { token: mint({ sub: 'h-user' }) })).type).toBe('authenticated');
      expect((await h.request('auth', { token: forged })).data.code).toBe('UNAUTHORIZED');
      expect((await q.request('auth', { token: mint({ sub: 'someone-else' }) })).data.code).toBe('UNAUTHORIZED');
      for (const bad of [forged, expired, 'abc.def.ghi']) {
        expect([4401, 4408]).toContain((await connect(ws, '/ws/connect', { token: bad }).closed).code);
      }
      expect((await connect(ws, '/ws/connect', { token: forged, header: true }).closed).code).toBe(4401);
      // HTTP: bearer headers, a token in a query string, writes, errors, dev login, metrics.
      const opsToken = mint({ sub: 'o-user', roles: ['ops', 'admin'] });
      const auth = { authorization: `Bearer ${opsToken}` };
      expect((await fetch(`${http}/packages`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${http}/packages?token=${opsToken}`)).status).toBe(401);
      expect((await fetch(`${http}/ws/status`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
      const created = await fetch(`${http}/packages`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ trackingNumber: opsToken.slice(0, 10) }),
      });
      expect(created.status).toBe(400);
      const login = await fetch(`${http}/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'dev-user' }),
      });
      expect(login.status).toBe(201);
      used.push(((await login.json()) as { token: string }).token);
      expect((await fetch(`${http}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(
        200,
      );
      await Promise.all([q.close(), h.close()]);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }

    // The run did log, at debug level, the events the scan is about.
    expect(logs).toContain('"msg":"connected"');
    expect(logs).toContain('"msg":"connection refused"');
    expect(logs).toContain('request completed');
    expect(logs).toContain('/ws/status');
    expect(used.length).toBeGreaterThanOrEqual(8);
    for (const jwt of used) {
      // The signature alone too: a log that cut a token in pieces would still leak what matters.
      expect(logs).not.toContain(jwt);
      expect(logs).not.toContain(jwt.split('.')[2]);
    }
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(metricsToken);
  }, 120_000);
});
