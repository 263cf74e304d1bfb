import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Schedule ids are UUIDs: anything else can never exist, so say why (400) rather than 404. */
@Injectable()
export class ScheduleIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        fields: [{ field: 'scheduleId', errors: ['scheduleId must be a UUID'] }],
      });
    }
    return value.toLowerCase();
  }
}
