import { AppError, ErrorCode } from '@streamrec/foundation';
import type { Interaction, InteractionAction } from '@streamrec/schemas';

export interface BeaconInput {
  readonly event_id?: string | undefined;
  readonly user_id: string;
  readonly item_id: string;
  readonly action: InteractionAction;
  readonly event_time?: number | undefined;
  readonly session_id?: string | undefined;
  readonly request_id?: string | undefined;
}

export interface BeaconLimits {
  readonly maxFutureSkewMs: number;
  readonly maxAgeMs: number;
}

export const defaultBeaconLimits: BeaconLimits = Object.freeze({ maxFutureSkewMs: 5 * 60_000, maxAgeMs: 7 * 86_400_000 });

/**
 * A storefront beacon → the events.interactions.v1 record. The event id is namespaced (`beacon:`),
 * so it cannot collide with CDC-derived ids; a client retry with the same id counts once downstream.
 */
export function beaconInteraction(input: BeaconInput, nowMs: number, newId: () => string, limits: BeaconLimits = defaultBeaconLimits): Interaction {
  const eventTime = input.event_time ?? nowMs;
  if (eventTime > nowMs + limits.maxFutureSkewMs) {
    throw new AppError(ErrorCode.InvalidArgument, `event_time is ${Math.round((eventTime - nowMs) / 1000)} s in the future; at most ${limits.maxFutureSkewMs / 1000} s is accepted`);
  }
  if (eventTime < nowMs - limits.maxAgeMs) {
    throw new AppError(ErrorCode.InvalidArgument, `event_time is older than ${limits.maxAgeMs / 86_400_000} days; backfills go through the replay tools, not the beacon`);
  }
  return {
    event_id: `beacon:${input.event_id ?? newId()}`,
    user_id: input.user_id,
    visitor_id: null,
    item_id: Number(input.item_id),
    action: input.action,
    event_time: eventTime,
    source: 'beacon',
    session_id: input.session_id ?? null,
    price: null,
    quantity: null,
    request_id: input.request_id ?? null,
    ingest_time: nowMs,
  };
}
