import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApp, type TestApp } from '../support/app.js';
import { waitFor } from '../support/wait.js';
import { viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

// The documents are JSON, walked generically.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const json = async (res: Promise<Response>): Promise<Doc> => (await res).json();

/**
 * deploy/nginx.conf as shipped, run by a real nginx (Debian's `nginx` package) in front of two
 * gateways: only the upstream addresses, the listen port and the log directory are changed. It
 * must parse, proxy HTTP and WebSockets, keep tokens out of both logs, deny /metrics and pass the
 * public host with its port. Skips without nginx, except with CI=true (.ci/run installs it).
 */
const NGINX = '/usr/sbin/nginx';
const haveNginx = existsSync(NGINX);
const conf = readFileSync(resolve(import.meta.dirname, '../../deploy/nginx.conf'), 'utf8');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx.conf no longer contains ${JSON.stringify(from)}`);
  return text.split(from).join(to);
}

it('nginx is there when CI runs', () => {
  if (process.env.CI === 'true') expect({ nginx: haveNginx }).toEqual({ nginx: true });
});

(haveNginx ? describe : describe.skip)('deploy/nginx.conf in front of two gateways', () => {
  let a: TestApp;
  let b: TestApp | undefined;
  let dir: string;
  let port: number;
  let nginx: ChildProcess;
  let base: string;
  const args = (): string[] => ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `pid ${join(dir, 'nginx.pid')};`];

  beforeAll(async () => {
    [a, b] = await Promise.all([startApp({ TRUST_PROXY: 'on' }), startApp({ TRUST_PROXY: 'on' })]);
    dir = mkdtempSync(join(tmpdir(), 'tracklight-nginx-'));
    port = await freePort();
    let text = replaceOnce(conf, 'server gateway-1:3000', `server 127.0.0.1:${a.port}`);
    text = replaceOnce(text, 'server gateway-2:3000', `server 127.0.0.1:${b.port}`);
    text = replaceOnce(text, 'listen 80;', `listen 127.0.0.1:${port};`);
    text = replaceOnce(text, '/var/log/nginx/', `${dir}/`);
    writeFileSync(join(dir, 'nginx.conf'), text);
    const check = spawnSync(NGINX, [...args(), '-t'], { encoding: 'utf8' });
    expect({ status: check.status, out: check.stderr }).toEqual({
      status: 0,
      out: expect.stringContaining('successful'),
    });
    nginx = spawn(NGINX, [...args(), '-g', 'daemon off;'], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
      10_000,
      'nginx answering /health',
    );
  });

  afterAll(async () => {
    if (nginx?.exitCode === null) {
      const exited = new Promise((done) => nginx.once('exit', done));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all([a?.close(), b?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('carries a WebSocket with ?token= and REST through, and denies /metrics', async () => {
    const client = await connected(`ws://127.0.0.1:${port}`, '/ws/connect', { token: viewer('nginx-ws') });
    await client.close();
    for (const path of ['/metrics', '/metrics/', '/metrics?format=text']) {
      expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 403]);
    }
    const dashboard = await fetch(`${base}/metrics/dashboard`, { headers: { authorization: `Bearer ${viewer()}` } });
    expect(dashboard.status).toBe(200);
  });

  it('names the public host with its port in /asyncapi.json and /docs-json', async () => {
    const asyncapi = await json(fetch(`${base}/asyncapi.json`));
    expect(Object.values(asyncapi.servers)).toEqual([
      expect.objectContaining({ host: `127.0.0.1:${port}`, protocol: 'ws' }),
    ]);
    const openapi = await json(fetch(`${base}/docs-json`));
    expect(openapi.servers).toEqual([{ url: base }]);
  });

  it('writes no token to the access or the error log, even when an upstream fails', async () => {
    const secret = viewer('nginx-log-check');
    const client = await connected(`ws://127.0.0.1:${port}`, '/ws/connect', { token: secret });
    await client.close();
    // One replica gone: nginx logs the failed upstream connects, request line included, at `error`.
    await b!.close();
    b = undefined;
    for (let i = 0; i < 6; i++) expect((await fetch(`${base}/health?token=${secret}`)).status).toBe(200);
    // nginx writes its logs unbuffered; the reopen signal is not needed.
    const access = readFileSync(join(dir, 'access.log'), 'utf8');
    const errors = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
    expect(access).toContain('"GET /ws/connect HTTP/1.1" 101');
    expect(access).toContain('"GET /health HTTP/1.1" 200');
    expect(access).toMatch(/upstream=127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+ upstream_status=502, 200/);
    expect({ access: access.includes(secret), errors: errors.includes(secret) }).toEqual({
      access: false,
      errors: false,
    });
  });
});
