import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp, type TestApp } from '../support/app.js';

// The documents are JSON, walked generically.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const json = async (res: Promise<Response>): Promise<Doc> => (await res).json();

/**
 * The documents a gateway serves, checked by the tools their readers use: Prometheus's `promtool`
 * on GET /metrics and Redocly's linter on the OpenAPI document. promtool comes from Debian's
 * `prometheus` package; without it the check skips, except with CI=true, where .ci/run installs it.
 */
const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const PROMTOOL = '/usr/bin/promtool';
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const havePromtool = existsSync(PROMTOOL);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('API documents that real tools accept', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startApp({ METRICS_TOKEN: SCRAPE_TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'tracklight-linters-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('promtool is there when CI runs', () => {
    if (process.env.CI === 'true') expect({ promtool: havePromtool }).toEqual({ promtool: true });
  });

  (havePromtool ? it : it.skip)('promtool check metrics: nothing to report on GET /metrics', async () => {
    const res = await fetch(`${t.http}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('tracklight_event_loop_lag_p99_seconds');
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, problems: `${check.stdout}${check.stderr}`.trim() }).toEqual({
      status: 0,
      problems: '',
    });
  });

  it('/docs-json: bearer security with 401 on every protected route, 403 where roles are required', async () => {
    const doc = await json(fetch(`${t.http}/docs-json`));
    expect(doc.servers).toEqual([{ url: t.http }]);
    const ops = new Map<string, { security: unknown; responses: Record<string, unknown> }>();
    for (const [path, item] of Object.entries<Record<string, never>>(doc.paths))
      for (const [method, op] of Object.entries(item)) ops.set(`${method.toUpperCase()} ${path}`, op);
    const open = ['GET /health', 'POST /auth/dev-login'];
    for (const name of open) expect([name, ops.get(name)?.security]).toEqual([name, []]);
    for (const [name, op] of ops) {
      if (open.includes(name)) continue;
      expect([name, op.security]).toEqual([name, [{ bearer: [] }]]);
      expect([name, Object.keys(op.responses)]).toEqual([name, expect.arrayContaining(['401'])]);
    }
    for (const name of [
      'GET /ws/status',
      'GET /ws/connections',
      'DELETE /ws/connections/{connectionId}',
      'GET /metrics',
    ])
      expect([name, Object.keys(ops.get(name)?.responses ?? {})]).toEqual([
        name,
        expect.arrayContaining(['401', '403']),
      ]);
  });

  it('redocly lint: /docs-json has no errors and no warnings', async () => {
    const res = await fetch(`${t.http}/docs-json`);
    expect(res.status).toBe(200);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, await res.text());
    // From the repository root, so redocly.yaml (the rules and why three are off) applies.
    const lint = spawnSync(process.execPath, [redocly, 'lint', file, '--format=json'], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const problems = lint.stdout.trim()
      ? (
          JSON.parse(lint.stdout) as {
            problems: { ruleId: string; message: string; location: { pointer?: string }[] }[];
          }
        ).problems
      : undefined;
    // Warnings count too: the status is 0 with warnings, and each one is a gap in the document.
    expect({
      status: lint.status,
      problems: problems?.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`) ?? lint.stderr,
    }).toEqual({ status: 0, problems: [] });
  });

  describe('servers behind a proxy', () => {
    const forwarded = {
      'x-forwarded-host': 'tracking.example.com',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '8443',
    };
    let proxied: TestApp;
    beforeAll(async () => {
      proxied = await startApp({ TRUST_PROXY: 'on' });
    });
    afterAll(async () => {
      await proxied.close();
    });

    it('with TRUST_PROXY: X-Forwarded-Host, -Proto and -Port name the server in both documents', async () => {
      const asyncapi = await json(fetch(`${proxied.http}/asyncapi.json`, { headers: forwarded }));
      expect(Object.values(asyncapi.servers)).toEqual([
        expect.objectContaining({ host: 'tracking.example.com:8443', protocol: 'wss' }),
      ]);
      const openapi = await json(fetch(`${proxied.http}/docs-json`, { headers: forwarded }));
      expect(openapi.servers).toEqual([{ url: 'https://tracking.example.com:8443' }]);
      // A Host that already carries the port (nginx's $http_host) is kept as it is.
      const withPort = await json(
        fetch(`${proxied.http}/asyncapi.json`, {
          headers: {
            'x-forwarded-host': 'tracking.example.com:8080',
            'x-forwarded-proto': 'http',
            'x-forwarded-port': '80',
          },
        }),
      );
      expect(Object.values(withPort.servers)).toEqual([
        expect.objectContaining({ host: 'tracking.example.com:8080', protocol: 'ws' }),
      ]);
    });

    it('without TRUST_PROXY the forwarded headers are ignored', async () => {
      const asyncapi = await json(fetch(`${t.http}/asyncapi.json`, { headers: forwarded }));
      expect(Object.values(asyncapi.servers)).toEqual([
        expect.objectContaining({ host: `127.0.0.1:${t.port}`, protocol: 'ws' }),
      ]);
    });
  });
});
