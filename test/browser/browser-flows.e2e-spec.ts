import type { Page } from 'playwright-core';
import { startApp, type TestApp } from '../support/app.js';
import {
  axeViolations,
  describeBrowser,
  ensureDashboardBuilt,
  openBrowser,
  screenshot,
  signIn,
  type BrowserSession,
} from '../support/browser.js';
import { packageBody, postPackage, postScan, rest } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

/**
 * Issue 18 in Chromium: find and open a package from the list and from the map, a deep link that
 * survives sign-in, acknowledging an anomaly; no console errors or failed requests, no serious
 * axe-core finding.
 */
describeBrowser('browser-flows.e2e-spec')('dashboard flows: packages, map, deep link, anomalies', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let page: Page;
  const call = rest(() => t);

  async function scan(tn: string, status: string, location: string, latitude: number, longitude: number) {
    expect((await postScan(call, tn, ops(), { status, location, latitude, longitude })).status).toBe(201);
  }

  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startApp();
    // Before the page opens: the map must show them from its first frame (the snapshot).
    for (const [i, tn] of ['FLOW000001', 'FLOW000002', 'FLOW000003'].entries()) {
      expect((await postPackage(call, ops(), { ...packageBody(tn), carrier: i === 2 ? 'UPS' : 'DHL' })).status).toBe(
        201,
      );
    }
    await scan('FLOW000001', 'picked_up', 'Berlin hub', 52.5, 13.4);
    await scan('FLOW000001', 'in_transit', 'Berlin ring', 52.52, 13.5);
    await scan('FLOW000002', 'in_transit', 'Madrid', 40.42, -3.7);
    await scan('FLOW000003', 'at_facility', 'Chicago', 41.88, -87.63);
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('finds a package in the list by status and carrier, sorts, and opens it with its whole timeline', async () => {
    await signIn(page, t.http, 'flows');
    await page.locator('nav.views').getByRole('link', { name: 'Packages' }).click();
    const table = page.locator('section.packages');
    await table.locator('tr[data-tracking]').first().waitFor();
    expect(await table.locator('tr[data-tracking]').count()).toBe(3);
    await page.getByLabel('Carrier').fill('DHL');
    await page.getByLabel('Status').selectOption('in_transit');
    await waitFor(async () => (await table.locator('tr[data-tracking]').count()) === 2, 5000, 'two DHL in transit');
    await table.getByRole('button', { name: /Tracking #/ }).click();
    const order = await table
      .locator('tr[data-tracking]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tracking')));
    expect(order).toEqual(['FLOW000001', 'FLOW000002']);
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain('Tracking #');
    await screenshot(page, 'flow-1-packages-list');

    await table.getByRole('link', { name: 'FLOW000001' }).click();
    await page.locator('.package-view[data-tracking="FLOW000001"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/packages/FLOW000001');
    // created, picked_up, in_transit: the full history, oldest first.
    await waitFor(async () => (await page.locator('.timeline-list li').count()) === 3, 5000, 'three scans');
    expect(
      await page.locator('.timeline-list li').evaluateAll((l) => l.map((li) => li.getAttribute('data-status'))),
    ).toEqual(['created', 'picked_up', 'in_transit']);
    expect(await page.locator('.package-view .trail circle').count()).toBe(3);

    // Live through package:{tn}: a scan made now shows without a reload.
    await scan('FLOW000001', 'out_for_delivery', 'Potsdam', 52.39, 13.06);
    await page.locator('.package-view [data-status="out_for_delivery"]').waitFor({ timeout: 3000 });
    await waitFor(
      async () => (await page.locator('.timeline-list li').count()) === 4,
      5000,
      'the new scan in the timeline',
    );
    await screenshot(page, 'flow-2-package-view');
  }, 60_000);

  it('opens a package from its pin on the map; every package in flight is there from the first frame', async () => {
    await page.locator('nav.views').getByRole('link', { name: 'Overview' }).click();
    const pins = page.locator('section.map circle.pin');
    await waitFor(async () => (await pins.count()) === 3, 5000, 'three pins from the snapshot');
    expect(await page.locator('.legend').textContent()).toContain('at facility');
    await screenshot(page, 'flow-3-overview-map');
    await page.locator('section.map circle.pin[data-tracking="FLOW000003"]').click();
    await page.locator('.package-view[data-tracking="FLOW000003"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/packages/FLOW000003');
  }, 30_000);

  it('a deep link to a package works after signing in, in a fresh tab', async () => {
    const tab = await browser.context.newPage();
    tab.on('console', (m) => m.type() === 'error' && browser.problems.push(`console: ${m.text()}`));
    await signIn(tab, t.http, 'deep-linker', false, '/#/packages/FLOW000002');
    await tab.locator('.package-view[data-tracking="FLOW000002"]').waitFor();
    expect(await tab.locator('.package-view').textContent()).toContain('Madrid');
    await screenshot(tab, 'flow-4-deep-link');
    await tab.close();
  }, 30_000);

  it('acknowledges an anomaly: who and when shown, the package linked, a new critical one alerted', async () => {
    // Madrid to Chicago in a moment: impossible travel (critical), raised while the page is open.
    expect((await postPackage(call, ops(), packageBody('FLOW000004'))).status).toBe(201);
    await scan('FLOW000004', 'picked_up', 'Berlin', 52.52, 13.405);
    await page.locator('nav.views').getByRole('link', { name: 'Anomalies' }).click();
    await scan('FLOW000004', 'in_transit', 'Chicago', 41.88, -87.63);
    const alert = page.locator('.critical-alert');
    await alert.waitFor({ timeout: 5000 });
    expect(await alert.textContent()).toContain('FLOW000004');
    const item = page.locator('.anomalies li[data-tracking="FLOW000004"]').first();
    await item.waitFor({ timeout: 5000 });
    expect(await item.getAttribute('data-stage')).toBe('open');
    await screenshot(page, 'flow-5-anomaly-open');
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    // It leaves the open list; under Acknowledged it says who.
    await page.getByRole('button', { name: 'Acknowledged', exact: true }).click();
    const acked = page.locator('.anomalies li[data-tracking="FLOW000004"][data-stage="acknowledged"]');
    await acked.waitFor({ timeout: 5000 });
    expect(await acked.textContent()).toContain('acknowledged by flows');
    const rest = await call('GET', '/anomalies?trackingNumber=FLOW000004', viewer());
    expect(rest.body.items[0]).toMatchObject({ acknowledgedBy: 'flows' });
    await screenshot(page, 'flow-6-anomaly-acknowledged');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await acked.getByRole('link', { name: 'FLOW000004' }).click();
    await page.locator('.package-view[data-tracking="FLOW000004"]').waitFor();
  }, 30_000);

  it('has no serious or critical axe-core findings, and no console errors or failed requests', async () => {
    for (const hash of ['#/', '#/packages', '#/packages/FLOW000001', '#/anomalies']) {
      await page.goto(`${t.http}/${hash}`);
      await page.locator('.connection[data-state="open"]').waitFor();
      await page.waitForTimeout(300);
      expect({ hash, violations: await axeViolations(page) }).toEqual({ hash, violations: [] });
    }
    expect(browser.problems).toEqual([]);
  }, 60_000);
});
