import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PACKAGE_STATUSES, type PackageStatus } from '@tracklight/protocol';
import { PlaceDto } from './place.dto.js';

/** OpenAPI descriptions of the responses; the values are plain PackageView objects. */
export class ScanResponse {
  @ApiProperty({ enum: PACKAGE_STATUSES }) status!: PackageStatus;
  @ApiProperty() location!: string;
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
  @ApiProperty({ format: 'date-time' }) scannedAt!: string;
  @ApiPropertyOptional({ description: "The sender's scanId, when it gave one" }) scanId?: string;
}

export class ScanPageResponse {
  @ApiProperty({ type: [ScanResponse], description: 'Oldest first' }) items!: ScanResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page' })
  nextCursor!: string | null;
}

export class PackageResponse {
  @ApiProperty({ format: 'uuid' }) packageId!: string;
  @ApiProperty() trackingNumber!: string;
  @ApiProperty({ enum: PACKAGE_STATUSES }) status!: PackageStatus;
  @ApiProperty({ description: 'Where the last scan happened' }) location!: string;
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
  @ApiProperty() carrier!: string;
  @ApiProperty({ format: 'date-time' }) estimatedDelivery!: string;
  @ApiProperty({ format: 'date-time' }) lastScanTime!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: '1 on creation, +1 per accepted change' })
  version!: number;
  @ApiProperty({ type: PlaceDto }) origin!: PlaceDto;
  @ApiProperty({ type: PlaceDto }) destination!: PlaceDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) deliveredAt?: string;
  @ApiPropertyOptional({ type: [ScanResponse], description: 'The last 10 scans, most recent first' })
  scans?: ScanResponse[];
}

export class PackagePageResponse {
  @ApiProperty({ type: [PackageResponse] }) items!: PackageResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page' })
  nextCursor!: string | null;
}

export class TransitionConflictResponse {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'INVALID_TRANSITION' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ enum: PACKAGE_STATUSES }) currentStatus!: PackageStatus;
  @ApiProperty({ enum: PACKAGE_STATUSES }) attempted!: PackageStatus;
  @ApiProperty({ enum: PACKAGE_STATUSES, isArray: true }) allowed!: PackageStatus[];
}
