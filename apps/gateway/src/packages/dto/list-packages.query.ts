import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PACKAGE_STATUSES, type PackageStatus } from '@tracklight/protocol';

export class ListPackagesQuery {
  @ApiPropertyOptional({ enum: PACKAGE_STATUSES })
  @IsOptional()
  @IsIn(PACKAGE_STATUSES)
  status?: PackageStatus;

  @ApiPropertyOptional({ example: 'FedEx' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  carrier?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, as given (opaque).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cursor?: string;
}
