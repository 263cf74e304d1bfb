import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import type { PackageStatus } from '@tracklight/protocol';

/** Errors in the shape the global ValidationPipe uses, so every 400 reads the same. */
export function badField(field: string, error: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: 'Validation failed',
    fields: [{ field, errors: [error] }],
  });
}

export function packageNotFound(trackingNumber: string): NotFoundException {
  return new NotFoundException({
    statusCode: 404,
    error: 'Not Found',
    message: `No package with tracking number ${trackingNumber}`,
  });
}

export function packageExists(trackingNumber: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    code: 'PACKAGE_EXISTS',
    message: `A package with tracking number ${trackingNumber} already exists`,
  });
}

export function transitionRejected(
  current: PackageStatus,
  attempted: PackageStatus,
  allowed: PackageStatus[],
): ConflictException {
  const next = allowed.length ? `allowed next: ${allowed.join(', ')}` : 'it is final';
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    code: 'INVALID_TRANSITION',
    message: `A package in status ${current} cannot move to ${attempted} (${next})`,
    currentStatus: current,
    attempted,
    allowed,
  });
}
