import { Global, Module } from '@nestjs/common';
import { SnapshotRegistry } from './snapshot-registry.js';

@Global()
@Module({ providers: [SnapshotRegistry], exports: [SnapshotRegistry] })
export class SnapshotsModule {}
