import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { dashboardHandler } from './static-files.js';

/** Where `vite build` puts the dashboard, from the source tree or from the built dist/ tree. */
function findDashboard(configured: string | undefined): string | undefined {
  const candidates = [
    configured,
    resolve(process.cwd(), 'apps/dashboard/dist'),
    fileURLToPath(new URL('../../../../apps/dashboard/dist', import.meta.url)),
    fileURLToPath(new URL('../../../../../apps/dashboard/dist', import.meta.url)),
  ];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
}

/**
 * Serves the built dashboard at `/`. It mounts in onModuleInit, which Nest runs after registering
 * the controllers' routes and before its 404 handler: API routes always win, and only paths
 * nothing else answered reach the dashboard.
 */
@Module({})
export class DashboardModule implements OnModuleInit {
  private readonly logger = new Logger('Dashboard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const dir = findDashboard(this.config.dashboardDir);
    if (!dir) {
      this.logger.warn('apps/dashboard/dist not found: run `npm run build:dashboard` to serve the dashboard at /');
      return;
    }
    const app = this.adapterHost.httpAdapter.getInstance<{ use: (handler: unknown) => void }>();
    app.use(dashboardHandler(dir));
  }
}
