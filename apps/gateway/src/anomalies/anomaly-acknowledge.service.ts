import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Anomaly } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { UnpublishedWriteError } from '../bus/unpublished-write.error.js';
import { AnomalyAcknowledgements } from './storage/anomaly-acknowledgements.js';
import { toAnomaly } from './storage/anomaly-mapper.js';

/**
 * An operator takes charge of an anomaly: stored first, then `anomaly_acknowledged` on
 * `anomalies`, like every anomaly event. Acknowledging again changes and publishes nothing.
 */
@Injectable()
export class AnomalyAcknowledgeService {
  private readonly log = new Logger(AnomalyAcknowledgeService.name);

  constructor(
    private readonly acknowledgements: AnomalyAcknowledgements,
    private readonly bus: EventBus,
  ) {}

  async acknowledge(anomalyId: string, userId: string): Promise<Anomaly> {
    const result = await this.acknowledgements.acknowledge(anomalyId, userId, Date.now());
    if (!result) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No anomaly ${anomalyId}` });
    }
    const anomaly = toAnomaly(result.row);
    if (!result.changed) return anomaly;
    try {
      await this.bus.publish('anomalies', 'anomaly_acknowledged', anomaly);
    } catch (err) {
      // A REST write whose event is lost must not answer 2xx (see UnpublishedWriteError).
      this.log.error(`anomaly ${anomalyId} acknowledged but its event was not published: ${String(err)}`);
      throw new UnpublishedWriteError(`the acknowledgement of anomaly ${anomalyId}`);
    }
    return anomaly;
  }
}
