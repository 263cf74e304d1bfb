import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { STRATEGIES, type Strategy } from '../solver/types.js';
import { MAX_STOPS } from '../solver/validate.js';
import { UniqueStopIds, WindowOrder } from './schedule-validators.js';

/** Windows are minutes after departure from the depot; a week bounds any sane plan. */
export const MAX_MINUTES = 7 * 24 * 60;
export const MAX_VEHICLES = 1000;

const number = { allowNaN: false, allowInfinity: false } as const;

export class PointDto {
  @IsNumber(number)
  @IsLatitude()
  latitude!: number;

  @IsNumber(number)
  @IsLongitude()
  longitude!: number;
}

export class StopDto extends PointDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  id!: string;

  @IsOptional()
  @IsNumber(number)
  @Min(0)
  @Max(MAX_MINUTES)
  windowStart?: number;

  @IsOptional()
  @IsNumber(number)
  @Min(0)
  @Max(MAX_MINUTES)
  @WindowOrder()
  windowEnd?: number;

  @IsOptional()
  @IsNumber(number)
  @Min(0)
  @Max(24 * 60)
  serviceMinutes?: number;
}

export class CreateScheduleDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PointDto)
  depot!: PointDto;

  @IsInt()
  @Min(1)
  @Max(MAX_VEHICLES)
  vehicles!: number;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STOPS)
  @ValidateNested({ each: true })
  @Type(() => StopDto)
  @UniqueStopIds()
  stops!: StopDto[];

  @IsOptional()
  @IsIn(STRATEGIES)
  strategy?: Strategy;
}
