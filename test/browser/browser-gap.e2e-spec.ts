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
import { packageBody, postPackage, postScan, rest, type Call } from '../support/http.js';
import { ops } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

/**
 * Issue 16, item 6, in Chromium: the page open, the gateway gone, changes made through REST
 * while the page cannot hear of them, the gateway back on the same storage. The page must say
 * "stale" while cut off and match REST again without a reload soon after reconnecting.
 */
describeBrowser('browser-gap.e2e-spec')('dashboard after a gap', () => {
  let t: TestApp;
  let restarted: INestApplication | undefined;
  let browser: BrowserSession;
  let page: Page;
  const call: Call = rest(() => t);

  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startApp();
    browser = await openBrowser();
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

  /** tracking number → status, as the page's packages table shows it. */
  const pageStatuses = (): Promise<Record<string, string>> =>
    page.evaluate(
      `Object.fromEntries([...document.querySelectorAll('tr[data-tracking]')].map((r) => [r.dataset.tracking, r.dataset.status]))`,
    );

  const pageAnomalies = async (): Promise<string[]> =>
    (
      await page.evaluate<string[]>(
        `[...document.querySelectorAll('.anomalies li[data-anomaly]')].map((li) => li.dataset.anomaly)`,
      )
    ).sort();

  async function restStatuses(base: string): Promise<Record<string, string>> {
    const res = await fetch(`${base}/packages?limit=100`, { headers: { authorization: `Bearer ${ops()}` } });
    const body = (await res.json()) as { items: { trackingNumber: string; status: string }[] };
    return Object.fromEntries(body.items.map((p) => [p.trackingNumber, p.status]));
  }

  it('says stale while cut off, then matches REST within 5 s of reconnecting, without a reload', async () => {
    await signIn(page, t.http);
    expect((await postPackage(call, ops(), packageBody('GAPA000001'))).status).toBe(201);
    expect(
      (
        await postScan(call, 'GAPA000001', ops(), {
          status: 'in_transit',
          location: 'Leipzig',
          latitude: 51.34,
          longitude: 12.37,
        })
      ).status,
    ).toBe(201);
    await page.locator('tr[data-tracking="GAPA000001"][data-status="in_transit"]').waitFor({ timeout: 3000 });
    // A reload would reset this marker: its survival proves the page rebuilt itself in place.
    await page.evaluate('window.sameDocument = true');

    await t.app.close();
    await page.locator('.stale-banner').waitFor({ timeout: 5000 });
    expect(await page.locator('.stale-banner').textContent()).toContain('Data is stale');
    await page.locator('section.packages[data-stale="true"]').waitFor({ timeout: 2000 });
    await screenshot(page, 'gap-1-stale');

    // Changes the page cannot hear of: made through another gateway on the same storage.
    const mid = await createApp(t.config);
    await mid.listen(0, '127.0.0.1');
    const midUrl = await mid.getUrl();
    const midCall = rest(() => midUrl.replace('[::1]', '127.0.0.1'));
    expect((await postPackage(midCall, ops(), packageBody('GAPB000001'))).status).toBe(201);
    const move = { status: 'at_facility', location: 'Dresden', latitude: 51.05, longitude: 13.74 };
    expect((await postScan(midCall, 'GAPA000001', ops(), move)).status).toBe(201);
    // A backwards scan is refused and opens a status_regression anomaly.
    const back = { status: 'picked_up', location: 'Dresden', latitude: 51.05, longitude: 13.74 };
    expect((await postScan(midCall, 'GAPA000001', ops(), back)).status).toBe(409);
    await waitFor(
      async () =>
        ((await midCall('GET', '/anomalies?open=true', ops())).body.items as { trackingNumber: string }[]).some(
          (a) => a.trackingNumber === 'GAPA000001',
        ),
      5000,
      'the status_regression anomaly',
    );
    const expected = await restStatuses(midUrl.replace('[::1]', '127.0.0.1'));
    const openAnomalies = (
      (await midCall('GET', '/anomalies?open=true&limit=50', ops())).body.items as { anomalyId: string }[]
    )
      .map((a) => a.anomalyId)
      .sort();
    await mid.close();
    expect(await page.locator('.stale-banner').count()).toBe(1);

    restarted = await createApp(t.config);
    await restarted.listen(t.port, '127.0.0.1');
    const back_at = Date.now();
    await page.locator('.connection[data-state="open"]').waitFor({ timeout: 10_000 });
    const reconnectMs = Date.now() - back_at;
    const open_at = Date.now();
    await waitFor(
      async () => JSON.stringify(sorted(await pageStatuses())) === JSON.stringify(sorted(expected)),
      5000,
      'packages = REST',
    );
    await waitFor(
      async () => JSON.stringify(await pageAnomalies()) === JSON.stringify(openAnomalies),
      Math.max(100, 5000 - (Date.now() - open_at)),
      'anomalies = REST',
    );
    await page.locator('section.packages[data-stale="false"]').waitFor({ timeout: 1000 });
    const rebuiltMs = Date.now() - open_at;
    expect(await page.locator('.stale-banner').count()).toBe(0);
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    const kpi = await page.locator('.kpi', { hasText: 'Packages' }).first().locator('.kpi-value').textContent();
    expect(kpi).toBe('2');
    process.stdout.write(
      `browser-gap: reconnected ${reconnectMs} ms after the server was back, matched REST ${rebuiltMs} ms later\n`,
    );
    expect(reconnectMs).toBeLessThan(2500);
    await screenshot(page, 'gap-2-rebuilt');
  }, 90_000);
});

/** The page lists most recently scanned first; compare as sorted maps. */
function sorted(statuses: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(statuses).sort(([a], [b]) => a.localeCompare(b)));
}
