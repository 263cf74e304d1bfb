import { packageTopic } from '@tracklight/protocol';
import type { AppendEvent } from '../bus/outbox/event-log.js';
import { toPackageUpdate, toPackageView } from './storage/package-mapper.js';
import type { PackageEntity } from './storage/package.entity.js';

/** The stored events of a package change, appended in the change's own transaction. */
export async function appendPackageUpdate(append: AppendEvent, row: PackageEntity): Promise<void> {
  const update = toPackageUpdate(toPackageView(row));
  await append('package_updates', 'package_update', update);
  await append(packageTopic(row.trackingNumber), 'package_update', update);
}
