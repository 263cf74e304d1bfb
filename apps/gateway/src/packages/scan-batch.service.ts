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

interface Pending {
  index: number;
  scan: ScanRequest;
}

/**
 * How many packages of one batch are worked on at once. Each package's scans stay in array order
 * (they run one after another); different packages only overlap where the store lets them
 * (PostgreSQL; SQLite serialises every write anyway), within the connection pool.
 */
const PACKAGES_IN_FLIGHT = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * POST /scans: every item goes through the same write path as POST /packages/:tn/scans, so it is
 * committed, published and answered exactly as that route would. The batch is answered once every
 * item has its answer, i.e. after every accepted scan was committed.
 */
@Injectable()
export class ScanBatchService {
  private readonly log = new Logger(ScanBatchService.name);

  constructor(private readonly packages: PackagesService) {}

  async apply(items: unknown[]): Promise<ScanBatchResult[]> {
    const results: ScanBatchResult[] = new Array<ScanBatchResult>(items.length);
    const byPackage = new Map<string, Pending[]>();
    items.forEach((raw, index) => {
      const item = checkScanItem(raw);
      if (!item.ok) {
        results[index] = { index, status: 400, body: item.body };
        return;
      }
      const chain = byPackage.get(item.trackingNumber);
      if (chain) chain.push({ index, scan: item.scan });
      else byPackage.set(item.trackingNumber, [{ index, scan: item.scan }]);
    });

    const chains = [...byPackage.entries()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chains.length) {
        const [trackingNumber, pending] = chains[next++];
        for (const { index, scan } of pending) {
          results[index] = await this.one(index, trackingNumber, scan);
          // better-sqlite3 answers synchronously, so a whole batch would otherwise run in one
          // stretch of microtasks: no socket read, heartbeat or other request for seconds.
          await yieldToEventLoop();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PACKAGES_IN_FLIGHT, chains.length) }, worker));
    return results;
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
