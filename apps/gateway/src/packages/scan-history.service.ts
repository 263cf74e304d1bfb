import { Injectable } from '@nestjs/common';
import { pageOf, readCursor, type Page } from '../paging/cursor.js';
import { packageNotFound } from './package-errors.js';
import type { ScanView } from './package-view.js';
import { toScanView } from './storage/package-mapper.js';
import { PackageStore } from './storage/package-store.js';

export type ScanPage = Page<ScanView>;

const SEQUENCE_ID = /^[1-9][0-9]{0,15}$/;

/**
 * GET /packages/:trackingNumber/scans. The page key is the scan's sequence id (the order the status
 * rules applied them in); it travels in the shared cursor format with the recording time beside it.
 */
@Injectable()
export class ScanHistoryService {
  constructor(private readonly store: PackageStore) {}

  async page(trackingNumber: string, limit: number, cursor?: string): Promise<ScanPage> {
    const key = readCursor(cursor, (k) => SEQUENCE_ID.test(k.id));
    const pkg = await this.store.findByTrackingNumber(trackingNumber);
    if (!pkg) throw packageNotFound(trackingNumber);
    const rows = await this.store.scanPage(pkg.id, limit + 1, key && Number(key.id));
    return pageOf(rows, limit, (s) => ({ createdAtMs: s.recordedAtMs, id: String(s.id) }), toScanView);
  }
}
