import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { Anomaly } from '@tracklight/protocol';

/**
 * In-process: an anomaly was opened or resolved here (after the write). Metrics count these;
 * escalating an open anomaly is neither, so it does not change the counts.
 */
@Injectable()
export class AnomalyDomainEvents {
  readonly opened$ = new Subject<Anomaly>();
  readonly resolved$ = new Subject<Anomaly>();
}
