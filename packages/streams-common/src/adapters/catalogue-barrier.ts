import type { ItemId } from '../domain/ids.js';
import type { ItemInfoLookup } from '../domain/item-catalogue.js';

/** How a wait for the catalogue ended: it read its topic to the end, gave up after its timeout, or could not ask for the end (broker unreachable). */
export type CatalogueWaitOutcome = 'caught_up' | 'timeout' | 'failed';

export interface CatalogueBarrierOptions {
  readonly lookup: ItemInfoLookup;
  /** Reads the catalogue topic up to its end as of the call; false when `timeoutMs` passed first. */
  readonly readToEnd: (timeoutMs: number) => Promise<boolean>;
  readonly timeoutMs: number;
  /** After each wait: how many distinct items were unknown before it, and how many still are. */
  readonly onWait?: (outcome: CatalogueWaitOutcome, unknown: { before: number; after: number }, error?: unknown) => void;
}

/**
 * Before a user stage joins a batch with the catalogue: if the batch names an item the catalogue does not
 * know, read the catalogue topic to its end first. A new dataset and its first views reach the processor
 * on two topics, and the views can come first; joined then, those views would count without the item's
 * industry, tags and price for good. When the reader is already at the end (an item never catalogued, or
 * deleted), the wait costs one offsets request.
 */
export function createCatalogueBarrier(options: CatalogueBarrierOptions): (items: readonly ItemId[], asOfMs: number) => Promise<void> {
  return async (items, asOfMs) => {
    const unknown = new Set(items.filter((item) => options.lookup(item, asOfMs) === undefined));
    if (unknown.size === 0) return;
    // The join goes on either way: a catalogue that cannot be reached must not stop the stage.
    const still = (): number => [...unknown].filter((item) => options.lookup(item, asOfMs) === undefined).length;
    try {
      const caughtUp = await options.readToEnd(options.timeoutMs);
      options.onWait?.(caughtUp ? 'caught_up' : 'timeout', { before: unknown.size, after: still() });
    } catch (error) {
      options.onWait?.('failed', { before: unknown.size, after: still() }, error);
    }
  };
}
