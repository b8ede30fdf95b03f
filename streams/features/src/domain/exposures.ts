import { AppError, ErrorCode } from '@streamrec/foundation';
import { ItemActivityKind, itemIdOf, keyedItemActivity, userIdOf, type KeyedItemActivity, type StreamContext } from '@streamrec/streams-common';

/** One item of a recommendation response, as serving.exposures.v1 will carry it (0-based position). */
export interface ExposedItem {
  readonly item_id: number;
  readonly position: number;
  /** false: a ranked candidate logged for training but not shown; not an impression. */
  readonly shown: boolean;
}

/**
 * The part of a serving.exposures.v1 value (written by services/api, keyed by user_id; snake_case
 * like the other wire types) that item CTR needs. The full record also carries channel, score, model
 * version, experiment variant and logged features, which the ClickHouse sink and training use.
 */
export interface Exposure {
  readonly request_id: string;
  readonly user_id: string;
  /** When the response was served (UTC epoch ms): the event time of its exposures. */
  readonly event_time: number;
  readonly items: readonly ExposedItem[];
}

/** One exposure repartition record per item shown, keyed by the item (CTR denominator at its owner). */
export function exposureRecords(exposure: Exposure, context: StreamContext): KeyedItemActivity[] {
  const user = userIdOf(exposure.user_id);
  const positions = new Set<number>();
  for (const { position } of exposure.items) {
    if (!Number.isSafeInteger(position) || position < 0 || positions.has(position)) {
      throw new AppError(ErrorCode.PayloadInvalid, `exposure ${exposure.request_id}: position ${position} is not a new non-negative integer`);
    }
    positions.add(position);
  }
  return exposure.items.filter(({ shown }) => shown).map(({ item_id, position }) => {
    return keyedItemActivity(context, {
      kind: ItemActivityKind.Exposure,
      dedupId: `exposure:${exposure.request_id}:${position}`,
      item: itemIdOf(item_id),
      eventTime: exposure.event_time,
      requestId: exposure.request_id,
      user,
      position,
    });
  });
}
