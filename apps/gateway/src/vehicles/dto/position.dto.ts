import { IsLatitude, IsLongitude, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** POST /vehicles/:vehicleId/positions. */
export class PositionDto {
  @IsLatitude()
  latitude!: number;

  @IsLongitude()
  longitude!: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(400)
  speedKmh?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(360)
  heading?: number;
}
