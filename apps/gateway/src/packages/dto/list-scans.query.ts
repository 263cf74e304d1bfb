import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_SCAN_PAGE = 500;
export const DEFAULT_SCAN_PAGE = 100;

export class ListScansQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SCAN_PAGE, default: DEFAULT_SCAN_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SCAN_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page, as given (opaque).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cursor?: string;
}
