import type { ApiBody } from '@nestjs/swagger';
import { MAX_STOPS } from '../solver/validate.js';
import { STRATEGIES } from '../solver/types.js';
import { MAX_VEHICLES } from './create-schedule.dto.js';
import { MAX_MINUTES, MAX_SERVICE_MINUTES } from './validate-stops.js';

/** @nestjs/swagger does not export its SchemaObject type; this is it. */
type SchemaObject = Exclude<Extract<Parameters<typeof ApiBody>[0], { schema: unknown }>['schema'], { $ref: string }>;

const pointProperties = {
  latitude: { type: 'number', minimum: -90, maximum: 90 },
  longitude: { type: 'number', minimum: -180, maximum: 180 },
} satisfies Record<string, SchemaObject>;

const point: SchemaObject = {
  type: 'object',
  required: ['latitude', 'longitude'],
  properties: pointProperties,
};

/** The OpenAPI body of POST /schedules (validated by CreateSchedulePipe, not by a DTO class). */
export const CREATE_SCHEDULE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['name', 'depot', 'vehicles', 'stops'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    depot: point,
    vehicles: { type: 'integer', minimum: 1, maximum: MAX_VEHICLES },
    stops: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_STOPS,
      description: 'Stop ids must be unique. Times are minutes after the vehicles leave the depot.',
      items: {
        type: 'object',
        required: ['id', 'latitude', 'longitude'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 100 },
          ...pointProperties,
          windowStart: { type: 'number', minimum: 0, maximum: MAX_MINUTES },
          windowEnd: { type: 'number', minimum: 0, maximum: MAX_MINUTES, description: 'Not before windowStart' },
          serviceMinutes: { type: 'number', minimum: 0, maximum: MAX_SERVICE_MINUTES },
        },
      },
    },
    strategy: { type: 'string', enum: [...STRATEGIES], default: 'compare' },
  },
};
