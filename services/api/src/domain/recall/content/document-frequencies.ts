import type { TermVector } from './term-vector.js';

/**
 * How many servable documents contain each term, kept current as items come and go, so IDF reflects
 * the catalogue as it is now rather than at the last restart.
 */
export class DocumentFrequencies {
  private readonly frequencies = new Map<number, number>();
  private documents = 0;

  get documentCount(): number {
    return this.documents;
  }

  /** Distinct terms with a non-zero frequency. */
  get vocabularySize(): number {
    return this.frequencies.size;
  }

  add(vector: TermVector): void {
    this.documents += 1;
    for (const term of vector.terms) this.frequencies.set(term, (this.frequencies.get(term) ?? 0) + 1);
  }

  /** Removes a document previously added; its exact term vector must be given (the caller keeps it). */
  remove(vector: TermVector): void {
    this.documents = Math.max(0, this.documents - 1);
    for (const term of vector.terms) {
      const left = (this.frequencies.get(term) ?? 0) - 1;
      if (left > 0) this.frequencies.set(term, left);
      else this.frequencies.delete(term);
    }
  }

  frequency(term: number): number {
    return this.frequencies.get(term) ?? 0;
  }

  /**
   * Smoothed IDF, ln((1 + N) / (1 + df)) + 1: as if one extra document contained every term, so a
   * term seen nowhere yet (a query's new word) stays finite and a term in every document keeps a
   * small positive weight instead of vanishing.
   */
  idf(term: number): number {
    return Math.log((1 + this.documents) / (1 + this.frequency(term))) + 1;
  }
}

/**
 * Whether vectors computed when the catalogue held `basisCount` documents are stale enough to
 * re-embed everything: IDF moves with ln(N), so a relative change in N is what shifts the weights.
 * Growth is geometric, so re-embedding from an empty index while it fills costs a bounded multiple
 * (about 1 / fraction + 1) of embedding every item once.
 */
export function idfDrifted(basisCount: number, currentCount: number, fraction: number): boolean {
  if (basisCount === currentCount) return false;
  if (basisCount === 0) return true;
  return Math.abs(currentCount - basisCount) > fraction * basisCount;
}
