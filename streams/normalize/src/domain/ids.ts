import { STITCHED_EVENT_PREFIX } from '@streamrec/streams-common';
/** Ids that are all plain numbers or strings at the source and easy to mix up in a join. */
export type ItemId = number & { readonly __brand: 'ItemId' };
/** matomo_log_action.idaction. */
export type ActionId = number & { readonly __brand: 'ActionId' };
/** Matomo idvisitor: 16 lower-case hex digits. */
export type VisitorId = string & { readonly __brand: 'VisitorId' };
/** The user an interaction is attributed to: a shop user id in decimal, or `anon:<visitor id>`. */
export type InteractionUserId = string & { readonly __brand: 'InteractionUserId' };

export const itemId = (id: number): ItemId => id as ItemId;
export const actionId = (id: number): ActionId => id as ActionId;
export const visitorId = (hex: string): VisitorId => hex as VisitorId;
export const shopUserId = (id: number | string): InteractionUserId => String(id) as InteractionUserId;
export const anonymousUserId = (visitor: VisitorId): InteractionUserId => `anon:${visitor}` as InteractionUserId;

/**
 * Event ids are derived from the source row's primary key, never random, so Debezium re-delivering
 * the same row (or an update of it) maps to the same id: the dedup key here and downstream.
 */
export const EventId = {
  linkVisitAction: (idlinkVa: number): string => `matomo:lva:${idlinkVa}`,
  /** log_conversion_item's primary key (idvisit, idorder, idaction_sku); idorder is free text, so it sits between the numbers. */
  conversionItem: (idvisit: number, idorder: string, idactionSku: number): string =>
    `matomo:conversion_item:${idvisit}:${idorder}:${idactionSku}`,
  orderItem: (id: number): string => `shop:order_items:${id}`,
  /** With created_at, as events.interactions.v1 documents: a re-created favourite is a new fact even if an id is ever reused. */
  favorite: (id: number, createdAt: number): string => `shop:favorites:${id}:${createdAt}`,
  /** The copy of an anonymous interaction re-emitted under the user the visitor turned out to be. */
  stitched: (userId: InteractionUserId, original: string): string => `${STITCHED_EVENT_PREFIX}${userId}:${original}`,
} as const;

export { STITCHED_EVENT_PREFIX } from '@streamrec/streams-common';
