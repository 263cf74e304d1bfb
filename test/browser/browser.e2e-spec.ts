import { rmSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { createApp } from '../../apps/gateway/src/bootstrap.js';
import { startApp, type TestApp } from '../support/app.js';
import {
  describeBrowser,
  ensureDashboardBuilt,
  openBrowser,
  screenshot,
  signIn,
  type BrowserSession,
} from '../support/browser.js';
import { packageBody, postPackage, postScan, rest } from '../support/http.js';
import { ops } from '../support/tokens.js';

/**
 * The built dashboard in Debian's Chromium against the real gateway: sign-in, live connection,
 * a REST-created package appearing in the table, and a server restart survived without losing rows.
 */
/**
 * Consecutive steps, each with its own deadline, so that a slow or stuck run fails naming the step
 * (and the durations of the ones before) instead of running into the test's timeout.
 */
function stepTimer() {
  let last = Date.now();
  const start = last;
  const marks: string[] = [];
  const report = () => marks.join(', ');
  return {
    async step<T>(name: string, limitMs: number, run: () => Promise<T>): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`step "${name}" took over ${limitMs} ms (before it: ${report() || 'none'})`)),
          limitMs,
        );
      });
      try {
        return await Promise.race([run(), deadline]);
      } finally {
        clearTimeout(timer);
        const now = Date.now();
        marks.push(`${name} ${now - last} ms`);
        last = now;
      }
    },
    total: () => last - start,
    report,
  };
}

describe('dashboard static files served by the gateway', () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startApp();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('serves index.html at / and fingerprinted assets with long caching', async () => {
    const res = await fetch(`${t.http}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${t.http}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
  });

  it('serves a favicon (no 404 on every page load)', async () => {
    const ico = await fetch(`${t.http}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const svg = await fetch(`${t.http}/favicon.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('falls back to index.html for browser navigations only, never for API paths', async () => {
    const nav = await fetch(`${t.http}/some/view`, { headers: { Accept: 'text/html' } });
    expect(nav.status).toBe(200);
    expect(await nav.text()).toContain('<div id="root">');
    const api = await fetch(`${t.http}/packages/NOPE0000001`, {
      headers: { Accept: 'text/html', Authorization: `Bearer ${ops()}` },
    });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    const unknownWs = await fetch(`${t.http}/ws/nope`, { headers: { Accept: 'text/html' } });
    expect(unknownWs.headers.get('content-type') ?? '').not.toContain('text/html');
    const asset = await fetch(`${t.http}/assets/missing.js`, { headers: { Accept: 'text/html' } });
    expect(asset.status).toBe(404);
  });

  it('never serves files outside the dashboard directory', async () => {
    for (const path of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/..%5c..%5cpackage.json']) {
      const res = await fetch(`${t.http}${path}`);
      expect(await res.text()).not.toContain('"name": "tracklight"');
    }
  });
});

describeBrowser('browser.e2e-spec')('dashboard in Chromium', () => {
  let t: TestApp;
  let restarted: INestApplication | undefined;
  let browser: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startApp();
    browser = await openBrowser({ width: 1400, height: 1000 });
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (restarted) {
      await restarted.close();
      rmSync(t.config.dataDir, { recursive: true, force: true });
    } else {
      await t?.close();
    }
  });

  const call = rest(() => t);

  async function createPackage(trackingNumber: string): Promise<void> {
    const res = await postPackage(call, ops(), packageBody(trackingNumber));
    expect(res.status).toBe(201);
  }

  it('loads, signs in with the dev login and shows connected', async () => {
    await signIn(page, t.http);
    expect(await page.locator('.connection-label').textContent()).toBe('Live');
  }, 30_000);

  it('shows a package created through the REST API within one second', async () => {
    await createPackage('BRW0000001');
    await page.locator('tr[data-tracking="BRW0000001"]').waitFor({ timeout: 1000 });
    expect(await page.locator('tr[data-tracking="BRW0000001"]').textContent()).toContain('created');
  });

  it('updates the row in place and places the package on the map after a scan', async () => {
    const res = await postScan(call, 'BRW0000001', ops(), {
      status: 'picked_up',
      location: 'Leipzig',
      latitude: 51.34,
      longitude: 12.37,
    });
    expect(res.status).toBe(201);
    const row = page.locator('tr[data-tracking="BRW0000001"]');
    await row.filter({ hasText: 'picked up' }).waitFor({ timeout: 2000 });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Leipzig');
    await page.locator('.map circle.pin.status-picked_up').waitFor({ timeout: 2000 });
    await page.locator('tr[data-tracking="BRW0000001"]').getByRole('link').click();
    await page.locator('.package-view[data-tracking="BRW0000001"]').waitFor({ timeout: 2000 });
    await page.goto(`${t.http}/#/`);
  });

  it('plans a schedule from the form: live progress to 100% and the routes drawn on the map', async () => {
    await page.goto(`${t.http}/#/plan`);
    await page.getByLabel('Vehicles').fill('2');
    await page.getByRole('button', { name: 'Plan' }).click();
    const bar = page.getByRole('progressbar', { name: 'Schedule progress' });
    await page.locator('.schedule-progress[data-status="completed"]').waitFor({ timeout: 15_000 });
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await page.locator('.map polyline.route').first().waitFor({ timeout: 5000 });
    expect(await page.locator('.map polyline.route').count()).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('shows reconnecting then connected across a server restart, without losing rows', async () => {
    await page.goto(`${t.http}/#/`);
    await page.locator('tr[data-tracking="BRW0000001"]').waitFor({ timeout: 2000 });
    // Record every state the indicator shows: a quick restart may pass through reconnecting briefly.
    // The script runs in the page (DOM types are not part of this Node test's compilation).
    await page.evaluate(`(() => {
      const el = document.querySelector('.connection');
      window.seenStates = [];
      new MutationObserver(() => window.seenStates.push(el.getAttribute('data-state'))).observe(el, { attributes: true });
    })()`);
    // Each step is timed so that a slow CI run names the step that was slow. The client's
    // full-jitter backoff can wait up to about twice the downtime, hence the generous reconnect wait.
    const steps = stepTimer();
    await steps.step('close', 20_000, () => t.app.close());
    await steps.step('restart', 20_000, async () => {
      restarted = await createApp(t.config);
      await restarted.listen(t.port, '127.0.0.1');
    });
    await steps.step('reconnect', 30_000, () =>
      page.locator('.connection[data-state="open"]').waitFor({ timeout: 30_000 }),
    );
    const seen = await page.evaluate<string[]>('window.seenStates');
    expect(seen).toContain('reconnecting');
    expect(seen[seen.length - 1]).toBe('open');
    expect(await page.locator('.connection').getAttribute('data-recovery')).toMatch(/^(recovered|gap)$/);
    expect(await page.locator('tr[data-tracking="BRW0000001"]').count()).toBe(1);

    // Live again: a package created on the restarted server appears too.
    await steps.step('live', 10_000, async () => {
      await createPackage('BRW0000002');
      await page.locator('tr[data-tracking="BRW0000002"]').waitFor({ timeout: 5000 });
    });
    expect(await page.locator('tr[data-tracking="BRW0000001"]').count()).toBe(1);
    expect(browser.problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);

    await steps.step('screenshot', 10_000, () => screenshot(page, 'dashboard'));
    if (steps.total() > 10_000) process.stdout.write(`browser.e2e-spec: restart steps ${steps.report()}\n`);
  }, 100_000);
});
