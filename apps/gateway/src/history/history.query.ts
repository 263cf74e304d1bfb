import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const EVENT_ID = /^\d{1,16}-\d{1,16}$/;
const EVENT_ID_OR_TIME = /^(\d{1,16}-\d{1,16}|\d{4}-\d{2}-\d{2}T.+)$/;

/** GET /events (PROTOCOL.md section 5). `since` and `from` exclude each other (checked by the service). */
export class HistoryQuery {
  @ApiProperty({ description: 'Comma-separated stored topics, 1 to 50, each readable by the caller' })
  @IsString()
  topics!: string;

  @ApiPropertyOptional({ description: 'An event id: the events published after it' })
  @IsOptional()
  @Matches(EVENT_ID, { message: 'since must be an event id' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Instead of since: the events from this time on' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 time' })
  from?: string;

  @ApiPropertyOptional({ description: 'An event id or an ISO-8601 time: the last event to include (inclusive)' })
  @IsOptional()
  @Matches(EVENT_ID_OR_TIME, { message: 'to must be an event id or an ISO-8601 time' })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
