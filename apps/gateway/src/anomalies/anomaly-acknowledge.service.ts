import { Injectable, NotFoundException } from '@nestjs/common';
import type { Anomaly } from '@tracklight/protocol';
import { AnomalyAcknowledgements } from './storage/anomaly-acknowledgements.js';
import { toAnomaly } from './storage/anomaly-mapper.js';

/**
 * An operator takes charge of an anomaly: stored with its `anomaly_acknowledged` event in one
 * transaction (the relay publishes it), like every anomaly event. Acknowledging again changes
 * and publishes nothing.
 */
@Injectable()
export class AnomalyAcknowledgeService {
  constructor(private readonly acknowledgements: AnomalyAcknowledgements) {}

  async acknowledge(anomalyId: string, userId: string): Promise<Anomaly> {
    const result = await this.acknowledgements.acknowledge(anomalyId, userId, Date.now());
    if (!result) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No anomaly ${anomalyId}` });
    }
    return toAnomaly(result.row);
  }
}
