import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { parseTopic } from '@tracklight/protocol';
import { validationFailed } from '../validation/failing-fields.js';
import { vehicleTopic } from './vehicle-topic.js';

/** A vehicle id is the key of `vehicle:{vehicleId}`, so the topic's own key rule decides. */
@Injectable()
export class VehicleIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (parseTopic(vehicleTopic(value))?.family !== 'vehicle:') {
      throw new BadRequestException(
        validationFailed([
          { field: 'vehicleId', errors: ['vehicleId must be 1-100 letters, digits, _ . or -, starting alphanumeric'] },
        ]),
      );
    }
    return value;
  }
}
