import type { ItemId } from './ids.js';

/** What the user stage needs to know about an item, from the catalogue (events.items.v1). */
export interface ItemInfo {
  readonly industry: string | null;
  /** Lower-cased, de-duplicated, most general first (as the normaliser writes them). */
  readonly tags: readonly string[];
  /** List price as a number (features only; money stays decimal elsewhere); null when unknown. */
  readonly price: number | null;
  readonly available: boolean;
}

/**
 * The adapter's catalogue, kept from events.items.v1. `asOfMs` is the event time: a catalogue that
 * keeps versions answers with the version valid then, which makes a replay see the same metadata as
 * the live pass did (a latest-only catalogue is the documented approximation). undefined = unknown item.
 */
export type ItemInfoLookup = (item: ItemId, asOfMs: number) => ItemInfo | undefined;
