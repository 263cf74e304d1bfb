import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * Scans admitted to the write path and not yet answered, shared by the single and the batch route.
 * Past the bound a new request is refused at once (429) rather than queued behind the others: a
 * sender retrying after Retry-After costs less than answers that arrive later and later.
 */
@Injectable()
export class IngestBacklog {
  private pending = 0;
  readonly max: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.max = config.ingest.maxPendingScans;
  }

  /** Admits `scans` and returns true, or returns false when they would pass the bound. */
  tryAdmit(scans: number): boolean {
    // One request larger than the bound is still admitted on an empty backlog, or it never could be.
    if (this.pending > 0 && this.pending + scans > this.max) return false;
    this.pending += scans;
    return true;
  }

  release(scans: number): void {
    this.pending -= scans;
  }

  get size(): number {
    return this.pending;
  }
}
