import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core, for the dashboard suites. */
export const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);

/** `describe` when Chromium is installed (always under CI=true, where a missing browser must fail). */
export function describeBrowser(file: string): jest.Describe {
  if (!available && process.env.CI !== 'true') {
    process.stdout.write(`${file}: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)\n`);
    return describe.skip;
  }
  return describe;
}

const DIST = 'apps/dashboard/dist/index.html';
const SOURCES = [
  'apps/dashboard/src',
  'apps/dashboard/index.html',
  'libs/client/src',
  'libs/react/src',
  'libs/protocol/src',
];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds the dashboard unless dist/ is newer than every source it is built from. */
export function ensureDashboardBuilt(): void {
  if (existsSync(DIST) && statSync(DIST).mtimeMs >= Math.max(...SOURCES.map(newest))) return;
  const run = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`dashboard build failed:\n${run.stdout}\n${run.stderr}`);
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, console errors and failed requests: a normal session has none. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile with one page that records every error it sees. */
export async function openBrowser(viewport = { width: 1280, height: 900 }): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'tracklight-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => {
    // A navigation or read the page itself abandoned (AbortController) is not a failure.
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the dev login form (at `path`, e.g. a deep link) and waits for the live
 * connection. `admin` ticks the admin role on top of the form's default viewer and ops.
 */
export async function signIn(
  page: Page,
  base: string,
  user = 'browser-test',
  admin = false,
  path = '/',
): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByLabel('User id').fill(user);
  if (admin) await page.getByLabel('admin', { exact: true }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.connection[data-state="open"]').waitFor({ timeout: 10_000 });
}

/**
 * A screenshot for people to look at, not an assertion: Chromium can stall in its wait for fonts
 * on a loaded host (playwright#28995), which must not fail the suite.
 */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync('test/artifacts', { recursive: true });
  await page
    .screenshot({ path: `test/artifacts/${name}.png`, fullPage, timeout: 10_000 })
    .catch((err: unknown) => process.stdout.write(`no screenshot ${name} (${String(err)})\n`));
}

/** axe-core's serious and critical findings on the page as it is now ("rule: target" strings). */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
  await page.evaluate(source);
  const found = await page.evaluate<{ id: string; impact: string; nodes: { target: string[] }[] }[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  );
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
