import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Stop ids must be unique within a schedule: results and arrival times are reported per id. */
export function UniqueStopIds(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'uniqueStopIds',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || duplicates(value).length === 0,
        defaultMessage: (args?: ValidationArguments) =>
          `stop ids must be unique; repeated: ${duplicates(args?.value as unknown[])
            .slice(0, 10)
            .join(', ')}`,
      },
    });
}

function duplicates(stops: unknown[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const s of stops) {
    const id = (s as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') continue;
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  return [...twice];
}

/** windowEnd may not come before windowStart. */
export function WindowOrder(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'windowOrder',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const start = (args?.object as { windowStart?: unknown }).windowStart;
          return typeof value !== 'number' || typeof start !== 'number' || value >= start;
        },
        defaultMessage: () => 'windowEnd must not be before windowStart',
      },
    });
}
