import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';
import { PACKAGE_STATUSES, type PackageStatus } from '@tracklight/protocol';

export class CreateScanDto {
  @ApiProperty({ enum: PACKAGE_STATUSES, example: 'in_transit' })
  @IsIn(PACKAGE_STATUSES)
  status!: PackageStatus;

  @ApiProperty({ example: 'Louisville, KY', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  location!: string;

  @ApiProperty({ example: 38.2527, minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLatitude()
  latitude!: number;

  @ApiProperty({ example: -85.7585, minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsLongitude()
  longitude!: number;

  @ApiPropertyOptional({
    example: '2026-11-22T08:30:00.000Z',
    description: 'When the scan happened (ISO-8601); the time of the request when absent. At most 5 minutes ahead.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  scannedAt?: string;

  @ApiPropertyOptional({
    example: 'carrier-7f3a-000123',
    minLength: 1,
    maxLength: 64,
    description:
      "The sender's id for this scan. The same scanId again for this package answers 200 with the state " +
      'that scan produced and publishes nothing, so a sender may retry safely.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  scanId?: string;
}
