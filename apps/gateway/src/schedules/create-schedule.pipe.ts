import { BadRequestException, Injectable, type PipeTransform, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ScheduleHeaderDto, type CreateScheduleInput } from './dto/create-schedule.dto.js';
import { validateStops, type FieldError } from './dto/validate-stops.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Validates POST /schedules in one go: class-validator for the few top-level fields, a fast loop
 * for the stops, one 400 listing every failing field in the same shape as the global pipe.
 */
@Injectable()
export class CreateSchedulePipe implements PipeTransform<unknown, Promise<CreateScheduleInput>> {
  async transform(body: unknown): Promise<CreateScheduleInput> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw this.invalid([{ field: 'body', errors: ['the body must be a JSON object'] }]);
    }
    const { stops: rawStops, ...rest } = body as Record<string, unknown>;
    const header = plainToInstance(ScheduleHeaderDto, rest);
    const headerErrors = await validate(header, { whitelist: true, forbidNonWhitelisted: true });
    const { stops, fields } = validateStops(rawStops);
    const all = [...flatten(headerErrors), ...fields];
    if (all.length) throw this.invalid(all);
    return { ...header, stops };
  }

  private invalid(fields: FieldError[]): BadRequestException {
    return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Validation failed', fields });
  }
}
