import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SEVERITIES, type Severity } from '@tracklight/protocol';
import { ANOMALY_TYPES, type AnomalyType } from './anomaly-types.js';

export class ListAnomaliesQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'only open (true) or only resolved (false)' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'open must be true or false' })
  open?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ANOMALY_TYPES })
  @IsOptional()
  @IsIn(ANOMALY_TYPES, { message: `type must be one of ${ANOMALY_TYPES.join(', ')}` })
  type?: AnomalyType;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES, { message: `severity must be one of ${SEVERITIES.join(', ')}` })
  severity?: Severity;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, { message: 'trackingNumber is not a valid tracking number' })
  trackingNumber?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
