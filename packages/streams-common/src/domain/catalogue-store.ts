import { decimalToNumber, type ItemChange } from '@streamrec/schemas';
import type { ItemId } from './ids.js';
import { itemAttributes, type ItemInfo, type ItemInfoLookup } from './item-catalogue.js';

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
  /** Items per industry, kept with every change (a ranking feature reads it per candidate). */
  private readonly industries = new Map<string, number>();

  get size(): number {
    return this.items.size;
  }

  industrySize(industry: string): number {
    return this.industries.get(industry) ?? 0;
  }

  private count(info: ItemInfo | undefined, by: 1 | -1): void {
    const industry = info?.industry;
    if (industry === null || industry === undefined) return;
    const next = (this.industries.get(industry) ?? 0) + by;
    if (next > 0) this.industries.set(industry, next);
    else this.industries.delete(industry);
  }

  /** Applies one change; returns whether it changed the held state. */
  apply(change: ItemChange): boolean {
    const id = String(change.id);
    const held = this.items.get(id);
    if (held !== undefined && held.sourceVersion >= change.source_version) return false;
    const info: ItemInfo = {
      industry: change.industry === '' ? null : change.industry,
      tags: change.tags,
      price: decimalToNumber(change.price),
      available: change.available && !change.deleted,
      attributes: itemAttributes(change.title, change.description, change.created_at, change.updated_at),
    };
    this.count(held?.info, -1);
    this.count(info, 1);
    this.items.set(id, { sourceVersion: change.source_version, info });
    return true;
  }

  /** A compaction tombstone (null value) for the key: the item is gone. */
  forget(id: string): void {
    this.count(this.items.get(id)?.info, -1);
    this.items.delete(id);
  }

  readonly lookup: ItemInfoLookup = (item: ItemId) => this.items.get(item)?.info;
}
