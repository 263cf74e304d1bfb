// Proves that @tracklight/protocol, /client and /react work for a project outside this repository:
// packs the three workspaces, installs the tarballs into a fresh temporary project, type-checks a
// consumer with `tsc --strict` (the README examples verbatim, plus wrong payload fields that must
// not compile), runs the client README's Node example against a gateway started from dist/ until
// it receives a live event, and builds the react README's page with Vite (browser conditions,
// class-validator not installed). Run by .ci/run after `npm run build`; about a minute.
//   node scripts/check-packages.mjs [--keep]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const keep = process.argv.includes('--keep');
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'tracklight-packages-'));
const log = (/** @type {string} */ msg) =>
  process.stdout.write(`check-packages: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
/** The gateway started from dist/ (step 4), killed when a check fails. @type {import('node:child_process').ChildProcess | undefined} */
let gateway;

/**
 * @param {string} msg
 * @returns {never}
 */
function fail(msg) {
  process.stderr.write(`check-packages: FAILED: ${msg}\n  (work directory: ${work})\n`);
  gateway?.kill('SIGTERM');
  process.exit(1);
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {Omit<import('node:child_process').SpawnSyncOptions, 'encoding'>} [options]
 * @returns {string}
 */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  return r.stdout;
}

/**
 * The first fenced block of the given language in a README: the examples are what is checked.
 * @param {string} readme
 * @param {string} lang
 */
function example(readme, lang) {
  const text = readFileSync(join(root, readme), 'utf8');
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text);
  if (!m) fail(`no \`\`\`${lang} example in ${readme}`);
  return m[1];
}

/** @returns {string} */
const version = (/** @type {string} */ name) =>
  JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const tsc = require.resolve('typescript/bin/tsc');

// 1. Build and pack.
run('npm', ['run', 'build:libs'], { cwd: root });
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
/** `npm pack --json`: one entry per tarball. @type {{ name: string, filename: string, size: number, files: { path: string }[] }[]} */
const packed = JSON.parse(
  run(
    'npm',
    [
      'pack',
      '--json',
      '--pack-destination',
      tarballs,
      ...['protocol', 'client', 'react'].flatMap((n) => ['--workspace', `@tracklight/${n}`]),
    ],
    { cwd: root },
  ),
);
for (const p of packed) {
  const files = p.files.map((f) => f.path);
  for (const need of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts'])
    if (!files.includes(need)) fail(`${p.name}: ${need} missing from the tarball`);
  const stray = files.filter((f) => !/^(package\.json|README\.md|dist\/.*\.(js|d\.ts))$/.test(f));
  if (stray.length) fail(`${p.name}: unexpected files in the tarball: ${stray.join(', ')}`);
}
log(`packed ${packed.map((p) => `${p.filename} (${p.size} B)`).join(', ')}`);

// 2. A fresh project outside the repository installs the tarballs, as a user would.
const app = join(work, 'consumer');
mkdirSync(join(app, 'web', 'src'), { recursive: true });
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
const deps = ['ws', '@types/ws', '@types/node', 'react', 'react-dom', '@types/react', '@types/react-dom'];
run(
  'npm',
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    ...packed.map((p) => join(tarballs, p.filename)),
    ...deps.map((d) => `${d}@${version(d)}`),
  ],
  { cwd: app },
);
if (existsSync(join(app, 'node_modules', 'class-validator'))) fail('class-validator was installed with the packages');
log('installed the tarballs into a new project');

// 3. Type checks: the README examples, and wrong fields that must be compile errors.
writeFileSync(join(app, 'feed.ts'), example('libs/client/README.md', 'ts'));
writeFileSync(join(app, 'protocol.ts'), example('libs/protocol/README.md', 'ts'));
writeFileSync(
  join(app, 'wrong.ts'),
  `import { TracklightClient } from '@tracklight/client';
import type { PackageUpdate } from '@tracklight/protocol';

export function wrong(client: TracklightClient, update: PackageUpdate): void {
  client.subscribe('package_updates', (m) => {
    // @ts-expect-error -- a misspelt payload field is unknown, not a string
    m.data.trackingNumbr.toUpperCase();
    // @ts-expect-error -- status is a PackageStatus, not a number
    const status: number = m.data.status;
    console.log(status);
  });
  // @ts-expect-error -- a subscribe frame has \`topics\`, not \`topic\`
  client.send({ type: 'subscribe', data: { topic: 'anomalies' } });
  // @ts-expect-error -- latitude is a number
  const lat: string = update.latitude;
  console.log(lat);
}
`,
);
const strict = {
  strict: true,
  target: 'ES2022',
  skipLibCheck: false,
  noEmitOnError: true,
  forceConsistentCasingInFileNames: true,
};
writeFileSync(
  join(app, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      ...strict,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['ES2023'],
      types: ['node'],
      outDir: 'out',
    },
    files: ['feed.ts', 'protocol.ts', 'wrong.ts'],
  }),
);
run(process.execPath, [tsc, '-p', app]);
writeFileSync(join(app, 'web', 'src', 'main.tsx'), example('libs/react/README.md', 'tsx'));
writeFileSync(
  join(app, 'web', 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      ...strict,
      module: 'esnext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: [],
      noEmit: true,
    },
    include: ['src'],
  }),
);
run(process.execPath, [tsc, '-p', join(app, 'web')]);
log('tsc --strict: README examples compile, wrong fields do not');

// 4. The Vite build of the React page, with browser conditions.
const { build } = await import(require.resolve('vite'));
writeFileSync(
  join(app, 'web', 'index.html'),
  '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
);
await build({ root: join(app, 'web'), configFile: false, logLevel: 'warn', build: { outDir: 'dist' } });
const assets = join(app, 'web', 'dist', 'assets');
const bundle = readdirSync(assets).find((f) => f.endsWith('.js'));
const js = readFileSync(join(assets, bundle ?? 'missing.js'), 'utf8');
if (!js.includes('/ws/connect') || !js.includes('TracklightClient')) fail('the bundle lacks the client');
log(`vite build of the React page: ${bundle}, ${(js.length / 1024).toFixed(0)} KiB`);
writeFileSync(join(app, 'web', 'src', 'server-only.ts'), "export * from '@tracklight/protocol/validation';\n");
writeFileSync(join(app, 'web', 'server-only.html'), '<script type="module" src="/src/server-only.ts"></script>');
const refused = await build({
  root: join(app, 'web'),
  configFile: false,
  logLevel: 'silent',
  build: { outDir: 'dist-server-only', rollupOptions: { input: join(app, 'web', 'server-only.html') } },
}).then(
  () => false,
  () => true,
);
if (!refused) fail('a browser build importing @tracklight/protocol/validation succeeded');
log('a browser build importing @tracklight/protocol/validation fails, as it must');

// 5. The client README example receives a live event from a gateway started from dist/.
const entry = join(root, 'dist/apps/gateway/src/main.js');
if (!existsSync(entry)) fail('dist/apps/gateway/src/main.js is missing: run `npm run build` first');
/** @type {number} */
const port = await new Promise((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
    s.close(() => done(port));
  });
});
const http = `http://127.0.0.1:${port}`;
mkdirSync(join(work, 'data'));
gateway = spawn(process.execPath, [entry], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: join(work, 'data'),
    JWT_SECRET: 'check-packages-secret-0123456789abcdef0123456789',
    SIMULATOR: 'off',
    LOG_LEVEL: 'warn',
  },
});
gateway.on('exit', (code) => code !== null && code !== 0 && fail(`the gateway exited with ${code}`));
const deadline = Date.now() + 30_000;
while ((await fetch(`${http}/health`).catch(() => undefined))?.status !== 200) {
  if (Date.now() > deadline) fail('the gateway did not answer /health within 30 s');
  await new Promise((r) => setTimeout(r, 200));
}
const login = await fetch(`${http}/auth/dev-login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ sub: 'package-check', roles: ['ops'] }),
});
const { token } = /** @type {{ token: string }} */ (await login.json());
const feed = spawn(process.execPath, [join(app, 'out', 'feed.js')], {
  cwd: app,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, TRACKLIGHT_URL: `ws://127.0.0.1:${port}/ws/connect`, TRACKLIGHT_TOKEN: token },
});
const trackingNumber = `PKGCHECK${Date.now()}`;
let out = '';
const received = new Promise((/** @type {(value?: void) => void} */ done, reject) => {
  const timer = setTimeout(() => reject(new Error(`no event within 15 s; the example printed:\n${out}`)), 15_000);
  const onData = async (/** @type {Buffer} */ chunk) => {
    const before = out;
    out += chunk.toString();
    if (!before.includes('subscribed') && out.includes('subscribed')) {
      const res = await fetch(`${http}/packages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          trackingNumber,
          carrier: 'DHL',
          origin: { name: 'Berlin', latitude: 52.52, longitude: 13.405 },
          destination: { name: 'Paris', latitude: 48.8566, longitude: 2.3522 },
          estimatedDelivery: new Date(Date.now() + 2 * 86_400_000).toISOString(),
        }),
      });
      if (res.status !== 201) reject(new Error(`POST /packages answered ${res.status}`));
    }
    if (out.includes(`package_update ${trackingNumber}`)) {
      clearTimeout(timer);
      done();
    }
  };
  feed.stdout.on('data', (chunk) => {
    onData(chunk).catch(reject);
  });
  feed.on('exit', (code) => reject(new Error(`the example exited (${code}) before the event:\n${out}`)));
});
await received.catch((e) => fail(e.message));
feed.removeAllListeners('exit');
feed.kill('SIGTERM');
log(`the client README example received ${trackingNumber}'s package_update from a live gateway`);
gateway.removeAllListeners('exit');
const stopped = new Promise((done) => gateway.once('exit', done));
gateway.kill('SIGTERM');
await stopped;

if (!keep) rmSync(work, { recursive: true, force: true });
log('all three packages work from their tarballs');
