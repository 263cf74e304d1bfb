import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../apps/gateway/src/config/load-config.js';
import { TEST_SECRET } from '../support/app.js';
import { connect } from '../support/ws.js';

/**
 * docs/PROTOCOL.md section 1, run as a user would: real gateway processes (from the sources, through
 * the swc loader of test/durability-support, so no suite races another on the shared dist/), the
 * real token CLI, the real `npm start` wrapper.
 */

const LOADER = ['--import', './test/durability-support/register.mjs'];
const MAIN = 'apps/gateway/src/main.ts';
const TOKEN_CLI = 'apps/gateway/src/cli/token.ts';
const PROD_SECRET = 'contract-cli-production-secret-0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Gateway {
  child: ChildProcess;
  base: string;
  output: () => string;
}

const started: ChildProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracklight-cli-'));
  dirs.push(dir);
  return dir;
}

/** Only what the test sets: the gateway must not pick up the runner's environment. */
function baseEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env };
}

function spawnGateway(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...LOADER, MAIN], { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function startGateway(env: Record<string, string>): Promise<Gateway> {
  const port = await freePort();
  const { child, output } = spawnGateway({ HOST: '127.0.0.1', PORT: String(port), ...env });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${output()}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) return { child, base, output };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`gateway did not become healthy: ${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await gone;
}

/** The token CLI from its sources, as `npm run token` runs it from dist/. */
function tokenCli(
  args: string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...LOADER, TOKEN_CLI, ...args], {
    env: baseEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function claims(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
  };
}

const get = (base: string, path: string, jwt?: string): Promise<Response> =>
  fetch(`${base}${path}`, { headers: jwt ? { authorization: `Bearer ${jwt}` } : {} });

afterAll(async () => {
  await Promise.all(started.map(stop));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('section 1: running the server (black box)', () => {
  it('NODE_ENV=production without JWT_SECRET fails to start, naming JWT_SECRET', async () => {
    const { child, output } = spawnGateway({ NODE_ENV: 'production', DATA_DIR: tempDir(), PORT: '0' });
    const code = await exited(child);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output()).toMatch(/JWT_SECRET/);
    expect(output()).toMatch(/required/i);
    expect(output()).not.toMatch(/\n\s+at /);
  });

  it('an invalid variable fails to start with a message naming it', async () => {
    const { child, output } = spawnGateway({ NODE_ENV: 'production', JWT_SECRET: PROD_SECRET, PORT: 'abc' });
    expect(await exited(child)).not.toBe(0);
    expect(output()).toMatch(/PORT/);
  });

  describe('production with JWT_SECRET (start:prod configuration)', () => {
    let prod: Gateway;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = tempDir();
      prod = await startGateway({ NODE_ENV: 'production', JWT_SECRET: PROD_SECRET, DATA_DIR: dataDir });
    }, 120_000);

    it('is healthy: GET /health is 200 { status: "ok" } without a token', async () => {
      const res = await get(prod.base, '/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('keeps the SQLite file in DATA_DIR and generates no dev secret there', () => {
      expect(readdirSync(dataDir).some((f) => /\.(db|sqlite3?)$/.test(f))).toBe(true);
      expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    });

    it('turns off dev login (404) and refuses a token signed with another secret (401)', async () => {
      const res = await fetch(`${prod.base}/auth/dev-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'alice' }),
      });
      expect(res.status).toBe(404);
      const other = tokenCli(['--sub', 'alice', '--roles', 'ops'], {
        NODE_ENV: 'production',
        JWT_SECRET: 'another-secret-another-secret-another-secret',
      });
      expect(other.status).toBe(0);
      expect((await get(prod.base, '/agents', other.stdout.trim())).status).toBe(401);
    });

    it('`token -- --sub alice --roles ops` prints one HS256 JWT that this server accepts over HTTP and WebSocket', async () => {
      const run = tokenCli(['--sub', 'alice', '--roles', 'ops'], { NODE_ENV: 'production', JWT_SECRET: PROD_SECRET });
      expect(run.status).toBe(0);
      const jwt = run.stdout.trim();
      expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const { header, payload } = claims(jwt);
      expect(header.alg).toBe('HS256');
      expect(payload).toMatchObject({ sub: 'alice', roles: ['ops'] });
      expect(typeof payload.exp).toBe('number');
      // ops-only route: accepted with the ops role.
      expect((await get(prod.base, '/agents', jwt)).status).toBe(200);
      const ws = connect(prod.base.replace('http', 'ws'), '/ws/agents', { token: jwt });
      const first = await ws.next();
      expect(first).toMatchObject({ type: 'connected', data: { userId: 'alice', roles: ['ops'] } });
      await ws.close();
    });

    it('the token CLI without a secret in production says so in one line, without a stack trace', () => {
      const run = tokenCli(['--sub', 'alice'], { NODE_ENV: 'production' });
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim()).toMatch(/^token: .*JWT_SECRET/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });

    it('the token CLI refuses a missing --sub and an unknown role', () => {
      const noSub = tokenCli(['--roles', 'ops'], { JWT_SECRET: PROD_SECRET });
      expect(noSub.status).not.toBe(0);
      expect(noSub.stderr).toMatch(/--sub/);
      const badRole = tokenCli(['--sub', 'a', '--roles', 'root'], { JWT_SECRET: PROD_SECRET });
      expect(badRole.status).not.toBe(0);
      expect(badRole.stderr).toMatch(/root/);
    });

    it('with SIMULATOR unset the simulator is off, while SIMULATOR=on generates traffic', async () => {
      const jwt = tokenCli(['--sub', 'sim', '--roles', 'ops'], { JWT_SECRET: PROD_SECRET }).stdout.trim();
      const on = await startGateway({
        NODE_ENV: 'production',
        JWT_SECRET: PROD_SECRET,
        DATA_DIR: tempDir(),
        SIMULATOR: 'on',
        SIMULATOR_RATE: '20',
      });
      const count = async (base: string): Promise<number> =>
        ((await (await get(base, '/packages', jwt)).json()) as { items: unknown[] }).items.length;
      const deadline = Date.now() + 30_000;
      while ((await count(on.base)) === 0) {
        if (Date.now() > deadline) throw new Error('the simulator produced nothing');
        await new Promise((r) => setTimeout(r, 200));
      }
      // The off instance has been up longer than the on one took to produce traffic.
      expect(await count(prod.base)).toBe(0);
      const agents = (await (await get(prod.base, '/agents', jwt)).json()) as unknown[] | { items: unknown[] };
      expect(Array.isArray(agents) ? agents : agents.items).toHaveLength(0);
      await stop(on.child);
    }, 120_000);
  });

  it('development without JWT_SECRET: the secret is generated once in DATA_DIR and shared with the token CLI', async () => {
    const dataDir = tempDir();
    const run = tokenCli(['--sub', 'alice', '--roles', 'ops'], { DATA_DIR: dataDir });
    expect(run.status).toBe(0);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8');
    const dev = await startGateway({ DATA_DIR: dataDir });
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(secret);
    expect((await get(dev.base, '/agents', run.stdout.trim())).status).toBe(200);
    // Dev login is on outside production.
    const login = await fetch(`${dev.base}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'bob', roles: ['viewer'] }),
    });
    expect(login.status).toBe(201);
    await stop(dev.child);
  }, 120_000);

  it('`npm run token` (the script in package.json) prints a token accepted by a server with the same secret', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.token).toBe('node scripts/token.mjs');
    if (!existsSync('dist/apps/gateway/src/cli/token.js')) {
      console.log('contract-cli: dist/ not built, `npm run token` itself checked through its sources only');
      return;
    }
    const run = spawnSync('npm', ['run', '--silent', 'token', '--', '--sub', 'alice', '--roles', 'ops'], {
      env: baseEnv({ JWT_SECRET: TEST_SECRET, NODE_ENV: 'production' }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    const jwt = run.stdout.trim();
    expect(claims(jwt).payload).toMatchObject({ sub: 'alice', roles: ['ops'] });
    const { createHmac } = await import('node:crypto');
    const [h, p, s] = jwt.split('.');
    expect(createHmac('sha256', TEST_SECRET).update(`${h}.${p}`).digest('base64url')).toBe(s);
  }, 90_000);

  it('defaults: PORT 3000, HOST 0.0.0.0, DATA_DIR ./data, no DATABASE_URL/REDIS_URL, SIMULATOR off, NODE_ENV development', () => {
    const config = loadConfig({ JWT_SECRET: TEST_SECRET });
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: resolve('./data'),
      simulator: false,
      nodeEnv: 'development',
      devLogin: true,
      databaseUrl: undefined,
      redisUrl: undefined,
    });
    expect(loadConfig({ JWT_SECRET: PROD_SECRET, NODE_ENV: 'production' }).devLogin).toBe(false);
    // Section 3 retention and section 6 limits, as a deployment gets them without configuration.
    expect(config.history.maxEvents).toBeGreaterThanOrEqual(10_000);
    expect(config.history.maxAgeMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(config.ws).toMatchObject({
      heartbeatIntervalMs: 30_000,
      maxPayloadBytes: 64 * 1024,
      maxBufferedBytes: 1024 * 1024,
      rateLimitPerSecond: 50,
      rateLimitBurst: 100,
      maxSubscriptions: 200,
      maxSubscribersPerResource: 100,
      compression: false,
      maxConnectionsPerUser: 20,
      maxConnectionsPerIp: 0,
      handshakesPerSecondPerIp: 0,
      trustProxy: false,
    });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    // with the gateway's V8 flags (docs/operations.md; apps/gateway/src/runtime/node-flags.spec.ts)
    const flags = JSON.parse(readFileSync('apps/gateway/node-flags.json', 'utf8')) as string[];
    expect(pkg.scripts['start:prod']).toBe(['node', ...flags, 'dist/apps/gateway/src/main.js'].join(' '));
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
  });

  it('`npm start` (scripts/start.mjs) runs the built gateway with its V8 flags and SIMULATOR on unless the environment says otherwise', () => {
    // A sandbox with an up-to-date fake build, so the real wrapper runs without rebuilding.
    const dir = tempDir();
    mkdirSync(join(dir, 'apps'), { recursive: true });
    writeFileSync(join(dir, 'apps', 'x.ts'), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'apps', 'x.ts'), old, old);
    mkdirSync(join(dir, 'dist/apps/gateway/src'), { recursive: true });
    writeFileSync(
      join(dir, 'dist/apps/gateway/src/main.js'),
      'process.stdout.write(JSON.stringify({ simulator: process.env.SIMULATOR ?? null, flags: process.execArgv }));',
    );
    const flags = JSON.parse(readFileSync('apps/gateway/node-flags.json', 'utf8')) as string[];
    const script = resolve('scripts/start.mjs');
    const plain = spawnSync(process.execPath, [script], { cwd: dir, env: baseEnv({}), encoding: 'utf8' });
    expect(plain.status).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual({ simulator: 'on', flags });
    const off = spawnSync(process.execPath, [script], {
      cwd: dir,
      env: baseEnv({ SIMULATOR: 'off' }),
      encoding: 'utf8',
    });
    expect(JSON.parse(off.stdout)).toEqual({ simulator: 'off', flags });
  });

  it('`npm start` builds first when the sources are newer than the build', () => {
    // A sandbox whose `npm run build` records that it ran and produces the entry point.
    const dir = tempDir();
    mkdirSync(join(dir, 'apps'), { recursive: true });
    mkdirSync(join(dir, 'dist/apps/gateway/src'), { recursive: true });
    const main = join(dir, 'dist/apps/gateway/src/main.js');
    writeFileSync(main, 'process.stdout.write("stale");');
    const old = new Date(Date.now() - 60_000);
    utimesSync(main, old, old);
    writeFileSync(join(dir, 'apps', 'x.ts'), '');
    writeFileSync(
      join(dir, 'build.mjs'),
      `import { writeFileSync } from 'node:fs';
writeFileSync('built', '');
writeFileSync('dist/apps/gateway/src/main.js', 'process.stdout.write("fresh");');`,
    );
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sandbox', scripts: { build: 'node build.mjs' } }));
    const run = spawnSync(process.execPath, [resolve('scripts/start.mjs')], {
      cwd: dir,
      env: baseEnv({}),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, 'built'))).toBe(true);
    expect(run.stdout.trim().endsWith('fresh')).toBe(true);
  });
});
