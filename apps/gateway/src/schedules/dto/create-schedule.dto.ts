import { Type } from 'class-transformer';
import {
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
import { STRATEGIES, type StopInput, type Strategy } from '../solver/types.js';

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

/**
 * Everything of POST /schedules but the stops, validated by class-validator. The stops (up to
 * 5,000) are checked by validateStops instead: class-transformer and class-validator cost about a
 * second of blocked event loop for 5,000 nested objects, a hand-written loop a millisecond.
 */
export class ScheduleHeaderDto {
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

  @IsOptional()
  @IsIn(STRATEGIES)
  strategy?: Strategy;
}

/** The validated body of POST /schedules. */
export interface CreateScheduleInput {
  name: string;
  depot: PointDto;
  vehicles: number;
  stops: StopInput[];
  strategy?: Strategy;
}
