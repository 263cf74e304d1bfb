import { ValidateBy, type ValidationOptions } from 'class-validator';
import { packageTopic, parseTopic } from '@tracklight/protocol';

/** A tracking number is valid exactly when `package:{trackingNumber}` is a valid topic name. */
export function isTrackingNumber(value: unknown): value is string {
  return typeof value === 'string' && parseTopic(packageTopic(value))?.family === 'package:';
}

export const TRACKING_NUMBER_RULE = '1-100 characters of letters, digits, . _ -, starting with a letter or digit';

export function IsTrackingNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTrackingNumber',
      validator: {
        validate: (value) => isTrackingNumber(value),
        defaultMessage: (args) => `${args?.property ?? 'trackingNumber'} must be ${TRACKING_NUMBER_RULE}`,
      },
    },
    options,
  );
}
