import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ENDPOINTS, RESOURCE_ENDPOINTS, SSE_PATH } from '@tracklight/protocol';

/** Query of GET /ws/connections: optional filters, then paging. */
export class ListConnectionsQuery {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  userId?: string;

  @IsOptional()
  /** As connections report it: a fixed path, a per-resource pattern, or `/sse`. */
  @IsIn([...Object.keys(ENDPOINTS), ...Object.keys(RESOURCE_ENDPOINTS), SSE_PATH])
  endpoint?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  topic?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
