import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsISO8601, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PlaceDto } from './place.dto.js';
import { IsTrackingNumber, TRACKING_NUMBER_RULE } from './tracking-number.js';

export class CreatePackageDto {
  @ApiProperty({ example: '1Z999AA10123456784', description: TRACKING_NUMBER_RULE })
  @IsTrackingNumber()
  trackingNumber!: string;

  @ApiProperty({ example: 'UPS', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier!: string;

  @ApiProperty({ type: PlaceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PlaceDto)
  origin!: PlaceDto;

  @ApiProperty({ type: PlaceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PlaceDto)
  destination!: PlaceDto;

  @ApiProperty({ example: '2026-11-25T17:00:00.000Z', description: 'ISO-8601 with a time zone' })
  @IsISO8601({ strict: true, strictSeparator: true })
  estimatedDelivery!: string;
}
