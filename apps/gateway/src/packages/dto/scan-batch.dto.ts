import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CreateScanDto } from './create-scan.dto.js';
import { TRACKING_NUMBER_RULE } from './tracking-number.js';

/**
 * OpenAPI descriptions of POST /scans. The body is checked by ScanBatchPipe and each item by
 * checkScanItem (the rules of CreateScanDto), so these classes carry no validation of their own.
 */
export class BatchScanItem extends OmitType(CreateScanDto, [] as const) {
  @ApiProperty({ example: '1Z999AA10123456784', description: TRACKING_NUMBER_RULE })
  trackingNumber!: string;
}

export class ScanBatchRequest {
  @ApiProperty({ type: [BatchScanItem], minItems: 1, maxItems: 1000 })
  scans!: BatchScanItem[];
}

export class ScanBatchItemResult {
  @ApiProperty({ description: 'Position of the scan in the request' }) index!: number;
  @ApiProperty({
    example: 201,
    description: 'What POST /packages/:trackingNumber/scans would answer: 201, 200 (replayed scanId), 400, 404, 409',
  })
  status!: number;
  @ApiPropertyOptional({ description: 'Its body: the package, or the error with its fields / allowed states' })
  body!: unknown;
}

export class ScanBatchResponse {
  @ApiProperty({ type: [ScanBatchItemResult] }) results!: ScanBatchItemResult[];
}
