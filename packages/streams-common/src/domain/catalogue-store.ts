import { decimalToNumber, type ItemChange } from '@streamrec/schemas';
import type { ItemId, ItemInfo, ItemInfoLookup } from '@streamrec/streams-common';

interface CatalogueEntry {
  readonly info: ItemInfo;
  readonly sourceVersion: number;
}

/**
 * The latest state of every item seen on events.items.v1, in memory. Debezium is at-least-once, so
 * a change whose source_version is not newer than the held one is ignored; a tombstone forgets the
 * item. Latest-only: `lookup` ignores `asOfMs` (see the README's determinism caveat).
 */
export class CatalogueStore {
  private readonly items = new Map<string, CatalogueEntry>();

  get size(): number {
    return this.items.size;
  }

  /** Applies one change; returns whether it changed the held state. */
  apply(change: ItemChange): boolean {
    const id = String(change.id);
    const held = this.items.get(id);
    if (held !== undefined && held.sourceVersion >= change.source_version) return false;
    this.items.set(id, {
      sourceVersion: change.source_version,
      info: {
        industry: change.industry === '' ? null : change.industry,
        tags: change.tags,
        price: decimalToNumber(change.price),
        available: change.available && !change.deleted,
      },
    });
    return true;
  }

  /** A compaction tombstone (null value) for the key: the item is gone. */
  forget(id: string): void {
    this.items.delete(id);
  }

  readonly lookup: ItemInfoLookup = (item: ItemId) => this.items.get(item)?.info;
}
