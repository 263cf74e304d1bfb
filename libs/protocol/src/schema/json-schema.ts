/**
 * The subset of JSON Schema (2020-12) the protocol's descriptors use, with builders that tie each
 * descriptor to its TypeScript type: `object<T>()` demands one entry per declared field of T
 * (index signatures aside), `optional: true` exactly where T's field is optional, and a schema
 * kind that fits the field's type. A field added to a wire type without a schema, or a schema for
 * a field that does not exist, is a compile error.
 */
interface Annotated {
  description?: string;
}
export interface StringSchema extends Annotated {
  type: 'string';
  enum?: readonly string[];
  const?: string;
  minLength?: number;
  maxLength?: number;
  format?: 'date-time';
}
export interface NumberSchema extends Annotated {
  type: 'number' | 'integer';
  const?: number;
  minimum?: number;
  maximum?: number;
}
export interface BooleanSchema extends Annotated {
  type: 'boolean';
}
export interface ArraySchema extends Annotated {
  type: 'array';
  items: JsonSchema;
  minItems?: number;
  maxItems?: number;
}
export interface ObjectSchema extends Annotated {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: readonly string[];
  /** false: exactly these fields; true: more may be added (event payloads). */
  additionalProperties: boolean;
}
/** Any JSON value. */
export type AnySchema = Annotated;
export interface OneOfSchema extends Annotated {
  oneOf: readonly JsonSchema[];
}
export interface RefSchema {
  $ref: string;
}
export type JsonSchema =
  StringSchema | NumberSchema | BooleanSchema | ArraySchema | ObjectSchema | AnySchema | OneOfSchema | RefSchema;

/** Declared keys of T without its index signature (`[extra: string]: unknown`). */
export type KnownKeys<T> = keyof {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/** The schema kind a field of type V must have. */
export type SchemaOf<V> = unknown extends V
  ? JsonSchema
  : [V] extends [string]
    ? StringSchema
    : [V] extends [number]
      ? NumberSchema
      : [V] extends [boolean]
        ? BooleanSchema
        : [V] extends [readonly unknown[]]
          ? ArraySchema
          : [V] extends [object]
            ? ObjectSchema
            : JsonSchema;

type Field<T, K extends keyof T> = SchemaOf<Exclude<T[K], undefined>> &
  (object extends Pick<T, K> ? { optional: true } : { optional?: false });

export type Fields<T> = { [K in KnownKeys<T> & keyof T]-?: Field<T, K> };

/** An object schema whose fields are checked against T at compile time. */
export function object<T>(
  fields: Fields<T>,
  options: { additionalProperties?: boolean; description?: string } = {},
): ObjectSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries<JsonSchema & { optional?: boolean }>(fields)) {
    const { optional, ...schema } = field;
    properties[key] = schema;
    if (!optional) required.push(key);
  }
  const out: ObjectSchema = {
    type: 'object',
    properties,
    required,
    additionalProperties: options.additionalProperties ?? false,
  };
  if (options.description) out.description = options.description;
  return out;
}

export const string = (extra: Omit<StringSchema, 'type'> = {}): StringSchema => ({ type: 'string', ...extra });
export const number = (extra: Omit<NumberSchema, 'type'> = {}): NumberSchema => ({ type: 'number', ...extra });
export const integer = (extra: Omit<NumberSchema, 'type'> = {}): NumberSchema => ({ type: 'integer', ...extra });
export const boolean = (extra: Omit<BooleanSchema, 'type'> = {}): BooleanSchema => ({ type: 'boolean', ...extra });
export const array = (items: JsonSchema, extra: Omit<ArraySchema, 'type' | 'items'> = {}): ArraySchema => ({
  type: 'array',
  items,
  ...extra,
});
export const dateTime = (description?: string): StringSchema =>
  description ? { type: 'string', format: 'date-time', description } : { type: 'string', format: 'date-time' };
