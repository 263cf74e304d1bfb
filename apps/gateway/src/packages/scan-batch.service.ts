import { HttpException, Injectable, Logger } from '@nestjs/common';
import { PackagesService, type ScanRequest } from './packages.service.js';
import { checkScanItem } from './scan-item.js';

export interface ScanBatchResult {
  index: number;
  /** The status the single-scan route would have answered for this scan. */
  status: number;
  /** Its body. */
  body: unknown;
}

/**
 * POST /scans: every item goes through the same write path as POST /packages/:tn/scans, so it is
 * committed, published and answered exactly as that route would. The items are submitted in array
 * order to the write queue, so a package's scans apply in that order, and the whole batch (with
 * any single scans that arrive meanwhile) shares one group commit (up to 1,000 scans). The batch
 * is answered once every item has its answer, i.e. after every accepted scan was committed.
 */
@Injectable()
export class ScanBatchService {
  private readonly log = new Logger(ScanBatchService.name);

  constructor(private readonly packages: PackagesService) {}

  apply(items: unknown[]): Promise<ScanBatchResult[]> {
    return Promise.all(
      items.map(async (raw, index) => {
        const item = checkScanItem(raw);
        if (!item.ok) return { index, status: 400, body: item.body };
        return this.one(index, item.trackingNumber, item.scan);
      }),
    );
  }

  private async one(index: number, trackingNumber: string, scan: ScanRequest): Promise<ScanBatchResult> {
    try {
      const { view, replayed } = await this.packages.record(trackingNumber, scan);
      return { index, status: replayed ? 200 : 201, body: view };
    } catch (err) {
      if (err instanceof HttpException) {
        const response = err.getResponse();
        const status = err.getStatus();
        return {
          index,
          status,
          body: typeof response === 'string' ? { statusCode: status, message: response } : response,
        };
      }
      // The single route would answer 500 too; the other items of the batch still get theirs.
      this.log.error(`batch scan ${index} for ${trackingNumber} failed: ${String(err)}`);
      return { index, status: 500, body: { statusCode: 500, message: 'Internal server error' } };
    }
  }
}
