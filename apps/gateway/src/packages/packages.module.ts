import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IngestBacklog } from './ingest-backlog.js';
import { IngestBacklogInterceptor } from './ingest-backlog.interceptor.js';
import { MapSnapshotProvider } from './map-snapshot.provider.js';
import { PackageDomainEvents } from './package-domain-events.js';
import { PackageQuery } from './package-query.js';
import { StorePackageQuery } from './package-query.service.js';
import { PackageSnapshotProvider } from './package-snapshot.provider.js';
import { PackagesController } from './packages.controller.js';
import { PackagesService } from './packages.service.js';
import { ScanBatchService } from './scan-batch.service.js';
import { ScanHistoryService } from './scan-history.service.js';
import { ScansController } from './scans.controller.js';
import { PackageScanEntity } from './storage/package-scan.entity.js';
import { PackageEntity } from './storage/package.entity.js';
import { PackageStore } from './storage/package-store.js';

@Module({
  imports: [TypeOrmModule.forFeature([PackageEntity, PackageScanEntity])],
  controllers: [PackagesController, ScansController],
  providers: [
    PackageStore,
    PackagesService,
    ScanHistoryService,
    ScanBatchService,
    IngestBacklog,
    IngestBacklogInterceptor,
    PackageDomainEvents,
    PackageSnapshotProvider,
    MapSnapshotProvider,
    { provide: PackageQuery, useClass: StorePackageQuery },
  ],
  exports: [PackagesService, PackageDomainEvents, PackageQuery],
})
export class PackagesModule {}
