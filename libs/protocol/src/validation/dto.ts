import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CLIENT_FRAME_LIMITS as L } from '../client-frame-limits.js';
import { PACKAGE_STATUSES, SEVERITIES, type EventType } from '../events.js';
import { EVENT_TYPES } from '../topics.js';

/** Filters are validated field by field; which keys a request may carry depends on its topics. */
export class FilterDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(4)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  @Min(-L.bboxDegrees, { each: true })
  @Max(L.bboxDegrees, { each: true })
  bbox?: [number, number, number, number];

  @IsOptional()
  @IsIn(SEVERITIES)
  minSeverity?: (typeof SEVERITIES)[number];

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(L.carrierLength)
  carrier?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PACKAGE_STATUSES.length)
  @IsIn(PACKAGE_STATUSES, { each: true })
  status?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true })
  types?: EventType[];
}

export class TopicsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(L.topicsPerRequest)
  @IsString({ each: true })
  @MaxLength(L.topicLength, { each: true })
  topics!: string[];
}

export class SubscribeDto extends TopicsDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(L.sinceLength)
  since?: string;
}

export class AuthDto {
  @IsString()
  @MinLength(1)
  @MaxLength(L.tokenLength)
  token!: string;
}
