import type { ItemId } from './ids.js';

/** What the user stage needs to know about an item, from the catalogue (events.items.v1). */
export interface ItemInfo {
  readonly industry: string | null;
  /** Lower-cased, de-duplicated, most general first (as the normaliser writes them). */
  readonly tags: readonly string[];
  /** List price as a number (features only; money stays decimal elsewhere); null when unknown. */
  readonly price: number | null;
  readonly available: boolean;
  /** What the ranking features read of the dataset itself (absent where a catalogue does not know it). */
  readonly attributes?: ItemAttributes;
}

export interface ItemAttributes {
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly titleLength: number;
  readonly descriptionLength: number;
  /** Share of CJK characters in title and description: the language signal (0 = Latin text). */
  readonly cjkShare: number;
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

/** The attributes of a dataset's texts and dates (pure; one pass over the characters). */
export function itemAttributes(title: string, description: string, createdAtMs: number, updatedAtMs: number): ItemAttributes {
  let letters = 0;
  let cjk = 0;
  for (const character of title + description) {
    if (/\s/u.test(character)) continue;
    letters += 1;
    if (CJK.test(character)) cjk += 1;
  }
  return { createdAtMs, updatedAtMs, titleLength: [...title].length, descriptionLength: [...description].length, cjkShare: letters === 0 ? 0 : cjk / letters };
}

/**
 * The adapter's catalogue, kept from events.items.v1. `asOfMs` is the event time: a catalogue that
 * keeps versions answers with the version valid then, which makes a replay see the same metadata as
 * the live pass did (a latest-only catalogue is the documented approximation). undefined = unknown item.
 */
export type ItemInfoLookup = (item: ItemId, asOfMs: number) => ItemInfo | undefined;
