import { Injectable, Logger } from '@nestjs/common';
import type { Anomaly, Severity } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { AnomalyNotifier } from './anomaly-notifier.js';
import { SEVERITY_RANK } from './rules/anomaly-rule.js';

const NOTIFY_FROM = SEVERITY_RANK.high;

/**
 * Tells the world about an anomaly once its write is stored: `anomaly_detected` / `anomaly_resolved`
 * on `anomalies` (metrics count from those too), and a broadcast notification for high and critical ones. A failed publish is
 * logged, not thrown: the stored anomaly is the truth and GET /anomalies shows it. That is no
 * acknowledged-then-dropped write: anomalies are derived in the background (after a scan's
 * response, or by the sweep), so no REST call ever answered for this event. The event itself is
 * not re-sent later (the stored anomaly is not re-raised), so a live subscriber misses it.
 */
@Injectable()
export class AnomalyPublisher {
  private readonly log = new Logger(AnomalyPublisher.name);

  constructor(
    private readonly bus: EventBus,
    private readonly notifier: AnomalyNotifier,
  ) {}

  async opened(anomaly: Anomaly): Promise<void> {
    await this.publish('anomaly_detected', anomaly);
    if (SEVERITY_RANK[anomaly.severity] >= NOTIFY_FROM) await this.alert(anomaly);
  }

  /** The open anomaly got worse: published again as `anomaly_detected` with the same anomalyId. */
  async escalated(anomaly: Anomaly, from: Severity): Promise<void> {
    await this.publish('anomaly_detected', anomaly);
    if (SEVERITY_RANK[anomaly.severity] >= NOTIFY_FROM && SEVERITY_RANK[anomaly.severity] > SEVERITY_RANK[from]) {
      await this.alert(anomaly);
    }
  }

  async resolved(anomaly: Anomaly): Promise<void> {
    await this.publish('anomaly_resolved', anomaly);
  }

  private async publish(type: 'anomaly_detected' | 'anomaly_resolved', anomaly: Anomaly): Promise<void> {
    try {
      await this.bus.publish('anomalies', type, anomaly);
    } catch (err) {
      this.log.error(`could not publish ${type} ${anomaly.anomalyId}: ${String(err)}`);
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
