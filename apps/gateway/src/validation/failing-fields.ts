import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

export interface FieldError {
  field: string;
  errors: string[];
}

/** Flattens nested class-validator errors into `{ field, errors }` rows a client can act on. */
export function failingFields(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...failingFields(e.children ?? [], field)];
  });
}

/** The body of every 400 for invalid input, the global ValidationPipe's included. */
export function validationFailed(fields: FieldError[]): {
  statusCode: 400;
  error: string;
  message: string;
  fields: FieldError[];
} {
  return { statusCode: 400, error: 'Bad Request', message: 'Validation failed', fields };
}

/** The global pipe: whitelisted DTOs, unknown properties refused, every failing field in the 400. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(validationFailed(failingFields(errors))),
  });
}
