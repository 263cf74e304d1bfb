import { DataSource } from 'typeorm';
import { PackageQuery } from '../../apps/gateway/src/packages/package-query.js';
import { PackagesService } from '../../apps/gateway/src/packages/packages.service.js';
import { NotificationsService } from '../../apps/gateway/src/notifications/notifications.service.js';
import { describeOnBackends } from '../support/backends.js';

// One DATA_DIR for both apps: the SQLite file must outlive the restart.
await describeOnBackends('storage on %s', { start: false, sharedDataDir: true }, (ctx) => {
  it('runs the migrations once, keeps data across restarts, and returns the same shapes', async () => {
    const first = await ctx.start();
    const trackingNumber = `ST${Date.now().toString(36).toUpperCase()}`;
    try {
      await first.app.get(PackagesService).create({
        trackingNumber,
        carrier: 'DPD',
        origin: { name: 'Leipzig, DE', latitude: 51.3397, longitude: 12.3731 },
        destination: { name: 'Warsaw, PL', latitude: 52.2297, longitude: 21.0122 },
        estimatedDelivery: '2030-02-03T04:05:06.789Z',
      });
      await first.app.get(PackagesService).scan(trackingNumber, {
        status: 'delivered',
        location: 'Warsaw, PL',
        latitude: 52.2297,
        longitude: 21.0122,
      });
      await first.app.get(NotificationsService).notify({ level: 'info', title: 'kept', message: 'across restarts' });
    } finally {
      await first.close();
    }

    const second = await ctx.start();
    try {
      const migrations: { name: string }[] = await second.app.get(DataSource).query('SELECT name FROM migrations');
      const names = migrations.map((m) => m.name);
      for (const name of ['CreatePackages1763780000001', 'CreateNotifications1763780000002']) {
        expect(names.filter((n) => n === name)).toHaveLength(1);
      }

      const view = await second.app.get(PackagesService).get(trackingNumber);
      expect(view).toMatchObject({
        trackingNumber,
        status: 'delivered',
        latitude: 52.2297,
        longitude: 21.0122,
        estimatedDelivery: '2030-02-03T04:05:06.789Z',
        origin: { name: 'Leipzig, DE', latitude: 51.3397, longitude: 12.3731 },
      });
      // bigint columns come back as strings from PostgreSQL: the transformer makes them numbers.
      expect(typeof view!.deliveredAt).toBe('string');
      expect(Date.parse(view!.deliveredAt!)).toBeGreaterThanOrEqual(Date.parse(view!.createdAt));
      const stats = await second.app.get(PackageQuery).stats(new Date());
      expect(stats).toEqual({
        total: 1,
        byStatus: { delivered: 1 },
        delayed: 0,
        avgDeliveryHours: expect.any(Number),
        deliveredCount: 1,
      });
      expect(stats.avgDeliveryHours).toBeGreaterThanOrEqual(0);
      expect(stats.avgDeliveryHours).toBeLessThan(1);
      const notes = await second.app.get(NotificationsService).recentFor('anyone', 10);
      expect(notes.map((n) => n.title)).toContain('kept');
    } finally {
      await second.close();
    }
  });
});
