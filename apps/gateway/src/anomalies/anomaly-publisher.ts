import { Injectable, Logger } from '@nestjs/common';
import type { Anomaly, Severity } from '@tracklight/protocol';
import { AnomalyNotifier } from './anomaly-notifier.js';
import { SEVERITY_RANK } from './rules/anomaly-rule.js';

const NOTIFY_FROM = SEVERITY_RANK.high;

/**
 * What follows an anomaly's change once committed. Its `anomaly_detected` / `anomaly_resolved`
 * event on `anomalies` needs nothing here: AnomalyStore writes it to the event log in the
 * change's own transaction, and the relay delivers it. High and critical anomalies (opened, or
 * raised into those) also raise a broadcast notification; a failure there is logged, not thrown.
 */
@Injectable()
export class AnomalyPublisher {
  private readonly log = new Logger(AnomalyPublisher.name);

  constructor(private readonly notifier: AnomalyNotifier) {}

  async opened(anomaly: Anomaly): Promise<void> {
    if (SEVERITY_RANK[anomaly.severity] >= NOTIFY_FROM) await this.alert(anomaly);
  }

  /** The open anomaly got worse: published again as `anomaly_detected` with the same anomalyId. */
  async escalated(anomaly: Anomaly, from: Severity): Promise<void> {
    if (SEVERITY_RANK[anomaly.severity] >= NOTIFY_FROM && SEVERITY_RANK[anomaly.severity] > SEVERITY_RANK[from]) {
      await this.alert(anomaly);
    }
  }

  private async alert(anomaly: Anomaly): Promise<void> {
    try {
      await this.notifier.notify({
        level: anomaly.severity === 'critical' ? 'critical' : 'warning',
        title: `${anomaly.severity === 'critical' ? 'Critical' : 'High'} anomaly: ${anomaly.anomalyType.replace(/_/g, ' ')} on ${anomaly.trackingNumber}`,
        message: `${anomaly.description} ${anomaly.recommendedAction}`,
      });
    } catch (err) {
      this.log.error(`could not notify anomaly ${anomaly.anomalyId}: ${String(err)}`);
    }
  }
}
