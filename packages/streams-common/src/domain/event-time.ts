import { z } from 'zod';
import { AppError, ErrorCode } from '@streamrec/foundation';

export const eventTimeParamsSchema = z.object({
  /** How far an event time may lie after the record's own ingest time (source clock skew). */
  maxFutureSkewMs: z.number().int().min(0).default(5 * 60_000),
});
export type EventTimeParams = z.infer<typeof eventTimeParamsSchema>;

/**
 * Event time drives decay, buckets and expiry, so one event stamped in the future would expire live
 * state (and push the decay exponent up). The reference is the ingest time carried in the record, not
 * the wall clock, so a replay decides the same way. Such an event is dead-lettered (not retriable).
 */
export function assertEventTimeNotAhead(eventTimeMs: number, ingestTimeMs: number, params: EventTimeParams): void {
  if (!Number.isSafeInteger(eventTimeMs) || eventTimeMs > ingestTimeMs + params.maxFutureSkewMs) {
    throw new AppError(ErrorCode.PayloadInvalid, `event time ${eventTimeMs} is more than ${params.maxFutureSkewMs} ms after ingest time ${ingestTimeMs}`, {
      details: { eventTimeMs, ingestTimeMs },
    });
  }
}
