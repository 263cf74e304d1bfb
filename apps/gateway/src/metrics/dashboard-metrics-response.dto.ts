import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI description of GET /metrics/dashboard; definitions in docs/architecture.md. */
export class DashboardMetricsResponse {
  @ApiProperty({ description: 'Every package ever created' }) totalPackages!: number;
  @ApiProperty({ description: 'Status picked_up, in_transit, at_facility or out_for_delivery' }) inTransit!: number;
  @ApiProperty({ description: 'Status delivered' }) delivered!: number;
  @ApiProperty({ description: 'Neither delivered nor returned, and past estimatedDelivery' }) delayed!: number;
  @ApiProperty() openAnomalies!: number;
  @ApiProperty({ minimum: 0, maximum: 1, description: 'Resolved anomalies / all anomalies; 0 when none' })
  recoveryRate!: number;
  @ApiProperty({ description: 'Mean hours from creation to delivery over delivered packages; 0 when none' })
  avgDeliveryHours!: number;
}
