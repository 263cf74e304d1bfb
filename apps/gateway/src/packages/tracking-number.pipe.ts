import { Injectable, type PipeTransform } from '@nestjs/common';
import { badField } from './package-errors.js';
import { isTrackingNumber, TRACKING_NUMBER_RULE } from './dto/tracking-number.js';

/** A malformed tracking number in a path can never exist: say why (400) rather than 404. */
@Injectable()
export class TrackingNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isTrackingNumber(value)) throw badField('trackingNumber', `trackingNumber must be ${TRACKING_NUMBER_RULE}`);
    return value;
  }
}
