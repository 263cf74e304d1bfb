import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SEVERITIES, type Severity } from '@tracklight/protocol';
import { ANOMALY_TYPES, type AnomalyType } from './anomaly-types.js';

/** OpenAPI descriptions of the responses; the values are plain Anomaly objects. */
export class AnomalyResponse {
  @ApiProperty({ format: 'uuid' }) anomalyId!: string;
  @ApiProperty({ format: 'uuid' }) packageId!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ enum: ANOMALY_TYPES }) anomalyType!: AnomalyType;
  @ApiProperty({ enum: SEVERITIES, description: 'The highest the open anomaly has reached' }) severity!: Severity;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'What an operator should do about it' }) recommendedAction!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) confidenceScore!: number;
  @ApiProperty({ format: 'date-time' }) detectedAt!: string;
  @ApiPropertyOptional({ description: 'The `sub` of whoever acknowledged it; absent until then' })
  acknowledgedBy?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Absent until acknowledged' }) acknowledgedAt?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Absent while open' }) resolvedAt?: string;
}

export class AnomalyPageResponse {
  @ApiProperty({ type: [AnomalyResponse], description: 'Newest first' }) items!: AnomalyResponse[];
  @ApiProperty({ description: 'Matching anomalies in all pages' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
