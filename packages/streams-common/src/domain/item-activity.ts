import type { InteractionAction } from '@streamrec/schemas';
import type { ItemId, UserId } from './ids.js';
import { itemPartition, type StreamContext } from './stream-context.js';

/**
 * repartition.item-activity.v1: everything item-level state needs, keyed by item id, so each item has
 * one owner (the partition `murmur2(item) % 6`), as Kafka Streams repartitions before an aggregation.
 * Producers: features' user stage (activity, exposure), cooccurrence's user stage (co-items), the
 * catalogue relay (availability). Consumers: the item stages of features, cooccurrence and trending,
 * each taking the kinds it needs. A producer may repeat a record after a crash (it produces before it
 * applies); `dedupId` is deterministic, so every item stage guards on it.
 */
export const ITEM_ACTIVITY_TOPIC = 'repartition.item-activity.v1';

/** Topic settings of every item-activity topic: those of events.interactions.v1 (checked against schemas/topics.json). */
export const ITEM_ACTIVITY_TOPIC_CONFIG: Readonly<Record<string, string>> = { 'cleanup.policy': 'delete', 'retention.ms': '2592000000' };

/**
 * The item-activity topic of a state version. v1 uses the declared topic; any other version gets its
 * own (`repartition.item-activity.v1.<version>`), created by the processors at start, so a backfill
 * into a new version never writes into the live version's topic (the live item stages would count its
 * records again once their dedup sets have expired) and never reads the live records twice.
 */
export function itemActivityTopic(version: string): string {
  return version === 'v1' ? ITEM_ACTIVITY_TOPIC : `${ITEM_ACTIVITY_TOPIC}.${version}`;
}

/** A processor config with `topics.itemActivity` filled in from its state version when not named (a zod transform). */
export function withItemActivityTopic<C extends { readonly stateVersion: string; readonly topics: { readonly itemActivity?: string | undefined } }>(
  config: C,
): C & { readonly topics: C['topics'] & { readonly itemActivity: string } } {
  return { ...config, topics: { ...config.topics, itemActivity: config.topics.itemActivity ?? itemActivityTopic(config.stateVersion) } };
}

export const ItemActivityKind = {
  Activity: 'activity',
  CoItems: 'co-items',
  Exposure: 'exposure',
  Availability: 'availability',
} as const;
export type ItemActivityKind = (typeof ItemActivityKind)[keyof typeof ItemActivityKind];

interface RecordBase {
  /** Unique per logical record across the topic; the item stages' guard id. */
  readonly dedupId: string;
  /** The owner: the record's Kafka key. */
  readonly item: ItemId;
  /** Event time (ms): drives decay, buckets and seen-set days downstream. */
  readonly eventTime: number;
}

/** One interaction with the item, with the catalogue facts the user stage resolved for it. */
export interface ActivityRecord extends RecordBase {
  readonly kind: typeof ItemActivityKind.Activity;
  readonly eventId: string;
  readonly user: UserId;
  readonly action: InteractionAction;
  /** The recommendation request the interaction came from (CTR numerator), or null. */
  readonly requestId: string | null;
  /** False when the catalogue did not know the item: industry null, tags empty. */
  readonly catalogued: boolean;
  readonly industry: string | null;
  readonly tags: readonly string[];
}

/** Increments for the item's neighbour sets: co-occurrence (symmetric) and transitions item → neighbour. */
export interface CoItemNeighbour {
  readonly item: ItemId;
  /** Forward-decayed weight to add to `cooc` of the record's item. */
  readonly cooccurrence: number;
  /** Forward-decayed weight to add to `trans` of the record's item; 0 when the neighbour came first. */
  readonly transition: number;
}

export interface CoItemsRecord extends RecordBase {
  readonly kind: typeof ItemActivityKind.CoItems;
  readonly eventId: string;
  readonly user: UserId;
  readonly neighbours: readonly CoItemNeighbour[];
}

/** The item was shown in a recommendation slot (CTR denominator). */
export interface ExposureRecord extends RecordBase {
  readonly kind: typeof ItemActivityKind.Exposure;
  readonly requestId: string;
  readonly user: UserId;
  readonly position: number;
}

/** The item stopped being recommendable (unavailable) or was deleted at the source. */
export interface AvailabilityRecord extends RecordBase {
  readonly kind: typeof ItemActivityKind.Availability;
  readonly available: boolean;
  readonly deleted: boolean;
  readonly industry: string;
  readonly tags: readonly string[];
  readonly sourceVersion: number;
}

export type ItemActivityRecord = ActivityRecord | CoItemsRecord | ExposureRecord | AvailabilityRecord;

/** What the adapter hands to the producer: the key and the partition are fixed here, not by the client. */
export interface KeyedItemActivity {
  readonly topic: typeof ITEM_ACTIVITY_TOPIC;
  readonly key: ItemId;
  readonly partition: number;
  readonly value: ItemActivityRecord;
}

export function keyedItemActivity(context: StreamContext, record: ItemActivityRecord): KeyedItemActivity {
  return { topic: ITEM_ACTIVITY_TOPIC, key: record.item, partition: itemPartition(context, record.item), value: record };
}
