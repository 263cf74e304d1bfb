import type { Anomaly } from '@tracklight/protocol';
import type { AnomalyEntity } from './anomaly.entity.js';

/** The wire shape of docs/PROTOCOL.md section 4; `acknowledged*` once acknowledged, `resolvedAt` once resolved. */
export function toAnomaly(row: AnomalyEntity): Anomaly {
  const anomaly: Anomaly = {
    anomalyId: row.id,
    packageId: row.packageId,
    trackingNumber: row.trackingNumber,
    anomalyType: row.type,
    severity: row.severity,
    description: row.description,
    recommendedAction: row.recommendedAction,
    confidenceScore: row.confidenceScore,
    detectedAt: new Date(row.detectedAtMs).toISOString(),
  };
  if (row.acknowledgedAtMs !== null && row.acknowledgedAtMs !== undefined) {
    anomaly.acknowledgedBy = row.acknowledgedBy ?? '';
    anomaly.acknowledgedAt = new Date(row.acknowledgedAtMs).toISOString();
  }
  if (row.resolvedAtMs !== null) anomaly.resolvedAt = new Date(row.resolvedAtMs).toISOString();
  return anomaly;
}
