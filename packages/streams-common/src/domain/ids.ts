import { AppError, ErrorCode } from '@streamrec/foundation';

declare const brand: unique symbol;

/** A user id as events.interactions.v1 keys it (decimal shop id or `anon:<16 hex>`). */
export type UserId = string & { readonly [brand]: 'UserId' };
/** A catalogue item id in its canonical decimal text: the Kafka key of repartition.item-activity.v1. */
export type ItemId = string & { readonly [brand]: 'ItemId' };

/** The largest item id's text: 16 digits, so a 16-digit id is safe when it sorts at or below it. */
const MAX_ITEM_ID_TEXT = String(Number.MAX_SAFE_INTEGER);
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Whether `text` is a non-negative safe integer in canonical decimal (no sign, no leading zero): what
 * `/^(0|[1-9]\d{0,15})$/` and `Number.isSafeInteger(Number(text))` accept together, by one pass over the
 * characters (a repartition record carries up to a few dozen item ids, each checked on decode).
 */
function isCanonicalItemIdText(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > MAX_ITEM_ID_TEXT.length) return false;
  const first = text.charCodeAt(0);
  if (first === DIGIT_0) return length === 1;
  if (first < DIGIT_0 || first > DIGIT_9) return false;
  for (let index = 1; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return length < MAX_ITEM_ID_TEXT.length || text <= MAX_ITEM_ID_TEXT;
}

export function userIdOf(value: string): UserId {
  if (value.length === 0 || value.length > 200) {
    throw new AppError(ErrorCode.PayloadInvalid, `user id must be 1..200 characters, got ${value.length}`);
  }
  return value as UserId;
}

/** Accepts the Avro long of an event or its decimal text; the text form is what keys and hashes use. */
export function itemIdOf(value: number | string): ItemId {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 0 ? String(value) : '') : value;
  if (!isCanonicalItemIdText(text)) {
    throw new AppError(ErrorCode.PayloadInvalid, `item id must be a non-negative safe integer, got ${JSON.stringify(value)}`);
  }
  return text as ItemId;
}

/**
 * Event ids the normaliser gives the copy of an anonymous visitor's interaction that it re-emits under
 * the user the visitor turned out to be (`stitch:<user>:<original id>`). The copy belongs to the user's
 * history, but the item already counted the anonymous original: item-level stages must not count it again.
 */
export const STITCHED_EVENT_PREFIX = 'stitch:';

export function isStitchedEvent(eventId: string): boolean {
  return eventId.startsWith(STITCHED_EVENT_PREFIX);
}

/** The id of the source interaction an event stands for: a stitched copy's original id, else the id itself. */
export function originalEventId(eventId: string): string {
  if (!isStitchedEvent(eventId)) return eventId;
  const userEnd = eventId.indexOf(':', STITCHED_EVENT_PREFIX.length);
  return userEnd < 0 ? eventId : eventId.slice(userEnd + 1);
}

/**
 * What a user stage's dedup guard remembers for an interaction: the user and the source interaction.
 * Whether the normaliser attributed an interaction to the user directly or as a stitched copy depends
 * on which CDC topic it read first, so a rebuilt normaliser can emit the other form; both name the same
 * source interaction for the same user and count once. The user is part of it because the anonymous
 * original (same source id, user `anon:…`) must still count for the anonymous visitor, even when both
 * users hash to the same partition.
 */
export function userEventGuardId(userId: string, eventId: string): string {
  return `${userId}|${originalEventId(eventId)}`;
}

/** An item with a score (a recall list entry, a hot-list entry): higher is better. */
export interface ScoredItem {
  readonly item: ItemId;
  readonly score: number;
}
