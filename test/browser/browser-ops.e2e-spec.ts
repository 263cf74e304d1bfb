import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { PackageEntity } from '../../apps/gateway/src/packages/storage/package.entity.js';
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
import { ops } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

/** Issue 18 in Chromium: planning results, the admin view's disconnect, playback, and a 390 px phone. */
describeBrowser('browser-ops.e2e-spec')('dashboard flows: plan, admin, playback, phone', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let page: Page;
  const call = rest(() => t);

  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startApp();
    for (const tn of ['OPSF000001', 'OPSF000002']) {
      expect((await postPackage(call, ops(), packageBody(tn))).status).toBe(201);
    }
    const at = { location: 'Berlin', latitude: 52.52, longitude: 13.405 };
    expect((await postScan(call, 'OPSF000001', ops(), { status: 'picked_up', ...at })).status).toBe(201);
    browser = await openBrowser();
    page = browser.page;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('plans: a bad stop is named next to the field, cleared on edit; the result shows KPIs, the winner and each route', async () => {
    await signIn(page, t.http, 'planner', true);
    await page.locator('nav.views').getByRole('link', { name: 'Plan' }).click();
    const stops = page.getByLabel('Stops (id, latitude, longitude per line)');
    await stops.fill('S1, 52.40, 13.30\nS2, 52.60, 13.50\nS3, 52.45, 13.70\nS1, 52.50, 13.20');
    await page.getByLabel('Vehicles').fill('0');
    await page.getByRole('button', { name: 'Plan' }).click();
    // The server's 400, in words, under each field it names; no raw JSON anywhere.
    const stopsError = page.locator('#err-stops');
    await stopsError.waitFor({ timeout: 5000 });
    expect(await stopsError.textContent()).toContain('repeated: S1');
    expect(await stops.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#err-vehicles').textContent()).toMatch(/vehicles/);
    expect(await page.locator('.schedule').textContent()).not.toContain('{');
    await screenshot(page, 'ops-1-plan-error');
    await stops.fill('S1, 52.40, 13.30\nS2, 52.60, 13.50\nS3, 52.45, 13.70\nS4, 52.50, 13.20\nS5, 52.35, 13.55');
    await page.getByLabel('Vehicles').fill('2');
    expect(await page.locator('.field-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Plan' }).click();
    await page.locator('.schedule-progress[data-status="completed"]').waitFor({ timeout: 15_000 });
    const result = page.locator('.plan-result');
    expect(await result.textContent()).toMatch(/Total distance.*km/);
    expect(await result.locator('tr[data-winner="true"]').count()).toBe(1);
    expect(await result.locator('.compare tbody tr').count()).toBe(2);
    expect(await result.locator('.route-list li').count()).toBe(5);
    await page.locator('section.map .depot').waitFor({ timeout: 5000 });
    expect(await page.locator('section.map .stop').count()).toBe(5);
    await screenshot(page, 'ops-2-plan-result');
  }, 60_000);

  it('admin: sees connections, topics and counters, and disconnects a user whose page then says so', async () => {
    const other = await browser.context.browser()?.newContext();
    // A second, separate session (its own sessionStorage): a viewer to be disconnected.
    const victim = other ? await other.newPage() : await browser.context.newPage();
    await signIn(victim, t.http, 'victim');
    await page.locator('nav.views').getByRole('link', { name: 'Admin' }).click();
    await page.getByLabel('User').fill('victim');
    const row = page.locator('tr[data-user="victim"]');
    await row.first().waitFor({ timeout: 8000 });
    expect(await page.getByRole('region', { name: /^Topics/ }).textContent()).toContain('package_updates');
    expect(await page.getByRole('region', { name: 'Gateway' }).textContent()).toMatch(/Messages in \/ out/);
    await screenshot(page, 'ops-3-admin');
    page.once('dialog', (d) => void d.accept());
    await row.first().getByRole('button', { name: 'Disconnect' }).click();
    await victim.getByText('An administrator closed this connection.').waitFor({ timeout: 5000 });
    await screenshot(victim, 'ops-4-disconnected');
    await waitFor(async () => (await row.count()) === 0, 8000, 'the row to go');
    await victim.close();
    await other?.close();
  }, 60_000);

  it('plays back the last hour of package movements', async () => {
    expect(
      (
        await postScan(call, 'OPSF000002', ops(), {
          status: 'picked_up',
          location: 'Paris',
          latitude: 48.85,
          longitude: 2.35,
        })
      ).status,
    ).toBe(201);
    await page.locator('nav.views').getByRole('link', { name: 'Playback' }).click();
    await page.locator('[data-movements]').waitFor({ timeout: 8000 });
    await page.getByLabel('Speed').selectOption('60');
    await page.getByRole('button', { name: 'Play' }).click();
    await waitFor(async () => (await page.locator('.playback circle.pin').count()) === 2, 10_000, 'both packages');
    await screenshot(page, 'ops-5-playback');
  }, 60_000);

  it('fits a 390 px phone: no sideways scrolling on any view, no serious axe finding', async () => {
    const phone = await browser.context.browser()?.newContext({ viewport: { width: 390, height: 844 } });
    const small = phone ? await phone.newPage() : page;
    if (!phone) await small.setViewportSize({ width: 390, height: 844 });
    await signIn(small, t.http, 'phone', true);
    for (const hash of [
      '#/',
      '#/packages',
      '#/packages/OPSF000001',
      '#/anomalies',
      '#/plan',
      '#/admin',
      '#/playback',
    ]) {
      await small.goto(`${t.http}/${hash}`);
      await small.locator('.connection[data-state="open"]').waitFor();
      await small.waitForTimeout(300);
      const width = await small.evaluate<number>('document.documentElement.scrollWidth');
      expect({ hash, width }).toEqual({ hash, width: 390 });
      if (hash === '#/' || hash === '#/packages/OPSF000001') {
        await screenshot(small, `ops-6-phone${hash === '#/' ? '' : '-package'}`);
        expect(await axeViolations(small)).toEqual([]);
      }
    }
    await phone?.close();
  }, 90_000);

  it('groups thousands of pins into clusters, says when the snapshot was capped; a cluster zooms in', async () => {
    // 5,100 packages in flight around Europe, more than a snapshot carries (5,000), written straight to storage (the REST path is not under test here).
    const repo = t.app.get(DataSource).getRepository(PackageEntity);
    const now = Date.now();
    const rows = Array.from({ length: 5100 }, (_, i) => ({
      id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      trackingNumber: `CLUS${String(i).padStart(8, '0')}`,
      carrier: 'DHL',
      status: 'in_transit' as const,
      statusBeforeException: null,
      originName: 'A',
      originLatitude: 50,
      originLongitude: 10,
      destinationName: 'B',
      destinationLatitude: 48,
      destinationLongitude: 2,
      location: 'somewhere',
      latitude: 40 + ((i * 37) % 200) / 10,
      longitude: -5 + ((i * 53) % 300) / 10,
      estimatedDeliveryMs: now + 86_400_000,
      lastScanMs: now - i,
      createdAtMs: now - 3_600_000,
      deliveredAtMs: null,
      version: 1,
    }));
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
    // What the write path would publish: shared map snapshots end with it (EventInvalidatedCache).
    const last = rows[0];
    await t.app.get(EventBus).publish('map_updates', 'map_update', {
      packageId: last.id,
      trackingNumber: last.trackingNumber,
      latitude: last.latitude,
      longitude: last.longitude,
      status: last.status,
      carrier: last.carrier,
      lastScanTime: new Date(last.lastScanMs).toISOString(),
    });
    const fresh = await browser.context.browser()?.newContext({ viewport: { width: 1280, height: 900 } });
    const view = fresh ? await fresh.newPage() : page;
    await signIn(view, t.http, 'clusters');
    const clusters = view.locator('section.map g.cluster');
    await clusters.first().waitFor({ timeout: 8000 });
    expect(await view.locator('section.map circle.pin').count()).toBe(0);
    const counted = await clusters.locator('text').allTextContents();
    expect(counted.reduce((n, c) => n + Number(c), 0)).toBe(5000);
    expect(await view.locator('section.map .hint').textContent()).toContain('5,000 most recently scanned');
    await screenshot(view, 'ops-7-clusters');
    for (let i = 0; i < 6 && (await view.locator('section.map circle.pin').count()) === 0; i++) {
      await clusters.first().click();
      await view.waitForTimeout(200);
    }
    expect(await view.locator('section.map circle.pin').count()).toBeGreaterThan(0);
    await screenshot(view, 'ops-8-clusters-zoomed');
    await fresh?.close();
  }, 60_000);

  it('keeps the overview to the 100 packages updated last, with a link to all of them', async () => {
    await page.goto(`${t.http}/#/`);
    const rows = page.locator('section.packages tbody tr[data-tracking]');
    await rows.first().waitFor({ timeout: 5000 });
    const created = Array.from({ length: 105 }, (_, i) => `CAPR${String(i).padStart(6, '0')}`);
    for (const tn of created) expect((await postPackage(call, ops(), packageBody(tn))).status).toBe(201);
    await page.locator(`tr[data-tracking="${created[104]}"]`).waitFor({ timeout: 5000 });
    await waitFor(async () => (await rows.count()) === 100, 5000);
    // The REST page and then the oldest live arrivals went first: the newest 100 stay.
    expect(await page.locator(`tr[data-tracking="${created[0]}"]`).count()).toBe(0);
    expect(await page.locator(`tr[data-tracking="${created[5]}"]`).count()).toBe(1);
    expect(await page.locator('section.packages .more').textContent()).toContain('The 100 updated last at most');
    await screenshot(page, 'ops-9-overview-capped');
    await page.locator('section.packages .more').getByRole('link', { name: 'All packages' }).click();
    await page.locator('section.packages .pager').waitFor({ timeout: 5000 });
    expect(await page.locator('section.packages .more').count()).toBe(0);
  }, 60_000);
});
