import type { InteractionAction } from '@streamrec/schemas';
import {
  ItemActivityKind,
  forwardDecayedIncrement,
  keyedItemActivity,
  type CoItemsRecord,
  type ItemId,
  type KeyedItemActivity,
  type RecentItem,
  type StreamContext,
  type UserId,
} from '@streamrec/streams-common';
import { cooccurrenceDecay, type CooccurrenceParams } from './cooccurrence-params.js';
import { pairIncrementsOf, type PairIncrement } from './pair-increments.js';

export interface PairingEvent {
  readonly eventId: string;
  readonly user: UserId;
  readonly item: ItemId;
  readonly action: InteractionAction;
  readonly eventTime: number;
}

/**
 * The co-item records one interaction produces, from the user's window *before* it: every other
 * item in the window within `windowMs` pairs with the current one. One record to the current item's
 * owner listing all its new neighbours, one to each neighbour's owner naming the current item. The
 * weight is the action's weight, forward-decayed at the event time; the transition goes from the
 * earlier event to the later one (ties: the item already in the window came first).
 */
export function coItemRecords(window: readonly RecentItem[], event: PairingEvent, context: StreamContext, params: CooccurrenceParams): KeyedItemActivity[] {
  const partners = pairingPartners(window, event, params);
  const weight = params.actionWeights[event.action];
  if (partners.length === 0) return [];
  const increment = forwardDecayedIncrement(weight, event.eventTime, cooccurrenceDecay(params));
  const record = (item: ItemId, neighbours: CoItemsRecord['neighbours']): CoItemsRecord => ({
    kind: ItemActivityKind.CoItems,
    dedupId: `co-items:${event.eventId}:${item}`,
    item,
    eventTime: event.eventTime,
    eventId: event.eventId,
    user: event.user,
    neighbours,
  });
  const current = record(
    event.item,
    partners.map((partner) => ({ item: partner.item, cooccurrence: increment, transition: event.eventTime < partner.eventTime ? increment : 0 })),
  );
  const others = partners.map((partner) =>
    record(partner.item, [{ item: event.item, cooccurrence: increment, transition: partner.eventTime <= event.eventTime ? increment : 0 }]),
  );
  return [current, ...others].map((value) => keyedItemActivity(context, value));
}

/**
 * The window entries an interaction pairs with: every other item within `windowMs` of it, none for a
 * zero-weight action (it adds nothing anywhere).
 */
export function pairingPartners(window: readonly RecentItem[], event: Pick<PairingEvent, 'item' | 'action' | 'eventTime'>, params: CooccurrenceParams): RecentItem[] {
  if (params.actionWeights[event.action] === 0) return [];
  return window.filter((entry) => entry.item !== event.item && Math.abs(entry.eventTime - event.eventTime) <= params.windowMs);
}

/** The same pairs as the co-item records, as undecayed increments of the daily pair counts (pair-increments.ts). */
export function eventPairIncrements(window: readonly RecentItem[], event: Pick<PairingEvent, 'item' | 'action' | 'eventTime'>, params: CooccurrenceParams): PairIncrement[] {
  const partners = pairingPartners(window, event, params);
  return pairIncrementsOf(
    event.item,
    partners.map((partner) => partner.item),
    event.eventTime,
    params.actionWeights[event.action],
  );
}
