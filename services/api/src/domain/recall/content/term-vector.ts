import { tokenize } from './tokenizer.js';

/** The text of a catalogue item that content recall looks at. */
export interface ContentDocument {
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
}

/**
 * A document's terms after feature hashing: distinct term hashes in ascending order and the
 * field-weighted count of each. Hashes, not strings, so the state kept per item (and persisted) is
 * two typed arrays and the vocabulary never needs a dictionary.
 */
export interface TermVector {
  readonly terms: Uint32Array;
  readonly counts: Float32Array;
}

/**
 * How much one occurrence counts per field. Tags are curated labels and the title is what the
 * author chose to lead with; descriptions are long and wander, so a word there counts least.
 */
export const FieldWeight = { title: 2, tags: 3, description: 1 } as const;

export const emptyTermVector: TermVector = Object.freeze({ terms: new Uint32Array(0), counts: new Float32Array(0) });

/**
 * FNV-1a over UTF-16 code units, 32 bits. The hashed space is the full 2^32: document frequencies
 * live in a Map and the projection derives each term's row from its hash, so a wide space costs
 * nothing and keeps collisions between distinct terms negligible.
 */
export function hashTerm(term: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < term.length; i += 1) {
    hash ^= term.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Field-weighted term counts of a document, hashed. */
export function termVectorOf(document: ContentDocument): TermVector {
  const counts = new Map<number, number>();
  const addField = (text: string, weight: number): void => {
    for (const term of tokenize(text)) {
      const hash = hashTerm(term);
      counts.set(hash, (counts.get(hash) ?? 0) + weight);
    }
  };
  addField(document.title, FieldWeight.title);
  addField(document.description, FieldWeight.description);
  for (const tag of document.tags) addField(tag, FieldWeight.tags);

  const terms = Uint32Array.from(counts.keys()).sort();
  const weights = new Float32Array(terms.length);
  for (let i = 0; i < terms.length; i += 1) weights[i] = counts.get(terms[i] as number) as number;
  return { terms, counts: weights };
}

/**
 * A 53-bit hash of the text an item's vector depends on (cyrb53), hex. Equal hashes mean the
 * vector need not be recomputed when a catalogue change only touched price or status.
 */
export function contentHashOf(document: ContentDocument): string {
  const text = `${document.title}\u0000${document.description}\u0000${document.tags.join('\u0001')}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
