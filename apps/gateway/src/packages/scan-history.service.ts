import { Injectable } from '@nestjs/common';
import { badField, packageNotFound } from './package-errors.js';
import type { ScanView } from './package-view.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';
import { toScanView } from './storage/package-mapper.js';
import { PackageStore } from './storage/package-store.js';

export interface ScanPage {
  items: ScanView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * GET /packages/:trackingNumber/scans. The page key is the scan's sequence id (the order the status
 * rules applied them in); it travels in the shared cursor format with the recording time beside it.
 */
@Injectable()
export class ScanHistoryService {
  constructor(private readonly store: PackageStore) {}

  async page(trackingNumber: string, limit: number, cursor?: string): Promise<ScanPage> {
    const key = cursor === undefined ? undefined : decodeCursor(cursor);
    const afterId = key && /^[1-9][0-9]{0,15}$/.test(key.id) ? Number(key.id) : undefined;
    if (cursor !== undefined && afterId === undefined) throw badField('cursor', 'cursor is not one this server issued');
    const pkg = await this.store.findByTrackingNumber(trackingNumber);
    if (!pkg) throw packageNotFound(trackingNumber);
    // One extra row tells whether another page exists without a count query.
    const rows = await this.store.scanPage(pkg.id, limit + 1, afterId);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toScanView),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ createdAtMs: last.recordedAtMs, id: String(last.id) }) : null,
    };
  }
}
