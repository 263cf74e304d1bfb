import type { JsonSchema } from './json-schema.js';

export interface SchemaError {
  path: string;
  message: string;
}

type Resolver = (ref: string) => JsonSchema | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Validates a value against the JSON Schema subset of json-schema.ts (type, const, enum, bounds,
 * properties/required/additionalProperties, items, oneOf, format date-time, local $ref). Small on
 * purpose: the protocol's descriptors use nothing else. Lengths count UTF-16 code units, as the
 * gateway's validators do; non-finite numbers are not JSON numbers.
 */
export function validateSchema(schema: JsonSchema, value: unknown, resolve?: Resolver, path = '$'): SchemaError[] {
  if ('$ref' in schema) {
    const target = resolve?.(schema.$ref);
    return target
      ? validateSchema(target, value, resolve, path)
      : [{ path, message: `unresolved $ref ${schema.$ref}` }];
  }
  if ('oneOf' in schema) {
    const matching = schema.oneOf.filter((s) => validateSchema(s, value, resolve, path).length === 0).length;
    return matching === 1 ? [] : [{ path, message: `matches ${matching} of the oneOf schemas, not exactly one` }];
  }
  if (!('type' in schema)) return [];
  const fail = (message: string): SchemaError[] => [{ path, message }];
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return fail('must be a string');
      if (schema.const !== undefined && value !== schema.const) return fail(`must be ${JSON.stringify(schema.const)}`);
      if (schema.enum && !schema.enum.includes(value)) return fail(`must be one of ${schema.enum.join(', ')}`);
      if (schema.minLength !== undefined && value.length < schema.minLength) return fail('is too short');
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return fail('is too long');
      if (schema.format === 'date-time' && (!ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
        return fail('must be an ISO-8601 date-time');
      }
      return [];
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a finite number');
      if (schema.type === 'integer' && !Number.isInteger(value)) return fail('must be an integer');
      if (schema.const !== undefined && value !== schema.const) return fail(`must be ${schema.const}`);
      if (schema.minimum !== undefined && value < schema.minimum) return fail(`must be >= ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) return fail(`must be <= ${schema.maximum}`);
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : fail('must be a boolean');
    case 'array': {
      if (!Array.isArray(value)) return fail('must be an array');
      if (schema.minItems !== undefined && value.length < schema.minItems) return fail('has too few items');
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return fail('has too many items');
      return value.flatMap((item, i) => validateSchema(schema.items, item, resolve, `${path}[${i}]`));
    }
    case 'object': {
      if (!isObject(value)) return fail('must be an object');
      const errors: SchemaError[] = [];
      for (const key of schema.required) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) errors.push({ path, message: `misses ${key}` });
      }
      for (const key of Object.keys(value)) {
        const sub = Object.prototype.hasOwnProperty.call(schema.properties, key) ? schema.properties[key] : undefined;
        if (sub) errors.push(...validateSchema(sub, value[key], resolve, `${path}.${key}`));
        else if (!schema.additionalProperties) errors.push({ path, message: `has the unknown field ${key}` });
      }
      return errors;
    }
  }
}
