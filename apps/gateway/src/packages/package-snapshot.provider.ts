import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SnapshotRegistry, type SnapshotProvider } from '../snapshots/snapshot-registry.js';
import type { PackageUpdate, ParsedTopic } from '@tracklight/protocol';
import { PackagesService } from './packages.service.js';

/** `package:{trackingNumber}` snapshots: exactly what GET /packages/:trackingNumber returns. */
@Injectable()
export class PackageSnapshotProvider implements SnapshotProvider<'package:'>, OnModuleInit {
  constructor(
    private readonly registry: SnapshotRegistry,
    private readonly packages: PackagesService,
  ) {}

  onModuleInit(): void {
    this.registry.register('package:', this);
  }

  snapshot(_topic: string, parsed: ParsedTopic): Promise<PackageUpdate | undefined> {
    return parsed.family === 'package:' ? this.packages.get(parsed.key) : Promise.resolve(undefined);
  }
}
