import { defaultBeaconLimits, type BeaconLimits } from '../domain/serving/beacon-event.js';

/**
 * How long a document's `event_time` bounds stay true after it was served: its minimum is this much
 * younger than the real 7-day limit, so a value valid by the document is still accepted an hour later.
 */
export const CLOCK_BOUNDS_VALID_FOR_MS = 3_600_000;

interface Schema {
  properties?: Record<string, Schema>;
  minimum?: number;
  maximum?: number;
  description?: string;
}
interface Parameter {
  required?: boolean;
  schema?: { default?: unknown };
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
}

/**
 * A query parameter with a default may be left out (Fastify fills the default in), but a TypeBox property
 * without `Optional` is published as `required: true`. The document says what the code does: optional.
 */
export function defaultedParametersOptional<T>(document: T): T {
  for (const operations of Object.values((document as OpenApiDocument).paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const parameter of operation.parameters ?? []) if (parameter.schema?.default !== undefined) parameter.required = false;
    }
  }
  return document;
}

/**
 * The beacon refuses an `event_time` more than 7 days old or 5 minutes ahead of the server clock, limits
 * no static schema can state. /docs/json states them as of the moment it is served: the document is the
 * contract, and a client (or a contract fuzzer) reading it learns every bound the code enforces.
 */
export function withClockBounds<T>(document: T, nowMs: number, limits: BeaconLimits = defaultBeaconLimits): T {
  const eventTime = (document as OpenApiDocument).paths?.['/v1/events']?.['post']?.requestBody?.content?.['application/json']?.schema?.properties?.['event_time'];
  if (eventTime === undefined) return document;
  eventTime.minimum = Math.max(0, nowMs - limits.maxAgeMs + CLOCK_BOUNDS_VALID_FOR_MS);
  eventTime.maximum = nowMs + limits.maxFutureSkewMs;
  eventTime.description = `${eventTime.description ?? 'Epoch ms'} (bounds as of ${new Date(nowMs).toISOString()}, when this document was served; the minimum holds for an hour)`;
  return document;
}
