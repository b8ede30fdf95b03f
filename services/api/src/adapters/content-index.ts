import type { ItemChange } from '@streamrec/schemas';
import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { type Logger } from '@streamrec/foundation/process';
import { itemIdOf, type ItemId } from '@streamrec/streams-common';
import usearch, { type Index as VectorIndex } from 'usearch';
import { embedTerms, weightedCentroid, type WeightedVector } from '../domain/recall/content/content-embedder.js';
import { DocumentFrequencies, idfDrifted } from '../domain/recall/content/document-frequencies.js';
import { createRandomProjection, type RandomProjection } from '../domain/recall/content/random-projection.js';
import { contentHashOf, emptyTermVector, termVectorOf } from '../domain/recall/content/term-vector.js';
import type { ContentRecall, ScoredItem, WeightedSeed } from '../domain/serving/ports.js';
import { readContentIndexFiles, writeContentIndexFiles, type PersistedItem, type PersistedState } from './content-index-store.js';

export interface ContentIndexOptions {
  /** Dense vector size (default 256). */
  readonly dimensions?: number;
  /** Seed of the random projection (default 1); vectors from different seeds are not comparable. */
  readonly seed?: number;
  /** Re-embed every item once the servable document count moved by more than this fraction since the last full embedding (default 0.2). */
  readonly idfDriftFraction?: number;
  readonly log?: Logger;
}

interface ResolvedOptions {
  readonly dimensions: number;
  readonly seed: number;
  readonly idfDriftFraction: number;
  readonly log: Logger | undefined;
}

type HeldItem = PersistedItem;

function resolveOptions(options: ContentIndexOptions): ResolvedOptions {
  const resolved = { dimensions: options.dimensions ?? 256, seed: options.seed ?? 1, idfDriftFraction: options.idfDriftFraction ?? 0.2, log: options.log };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.dimensions) || resolved.dimensions < 8 || resolved.dimensions > 4096) problems.push('dimensions must be an integer in [8, 4096]');
  if (!Number.isSafeInteger(resolved.seed)) problems.push('seed must be a safe integer');
  if (!(resolved.idfDriftFraction > 0)) problems.push('idfDriftFraction must be positive');
  if (problems.length > 0) throw new AppError(ErrorCode.InvalidArgument, `invalid content index options: ${problems.join('; ')}`, { details: { problems } });
  return resolved;
}

function newVectorIndex(dimensions: number): VectorIndex {
  return new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.F32,
    connectivity: 16,
    // Insertion dominates re-embedding cost (measured: 10k × 256-d adds take ~5.7 s at 64 vs ~10 s at 128 on 2 cores).
    expansion_add: 64,
    // Recall lists are short (tens to a few hundred); a wider beam costs microseconds and keeps approximate search near exact.
    expansion_search: 128,
    multi: false,
  });
}

/**
 * Content recall over the catalogue: one TF-IDF vector per servable item in a usearch HNSW index,
 * kept in step with events.items.v1. Single-threaded by design: all mutation happens on the event
 * loop, so a search never sees a half-applied change.
 */
export class ContentIndex implements ContentRecall {
  private readonly items = new Map<string, HeldItem>();
  /** Seed vectors under the current document frequencies; any catalogue change clears it. */
  private readonly queryVectors = new Map<string, Float32Array>();
  private readonly frequencies = new DocumentFrequencies();
  private readonly projection: RandomProjection;
  private index: VectorIndex;
  private basisDocumentCount = 0;
  private saving: Promise<void> = Promise.resolve();
  /** While the catalogue is replayed at start: changes are held, embedded once at `endBulk`. */
  private bulkChanges: number | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.projection = createRandomProjection(options.dimensions, options.seed);
    this.index = newVectorIndex(options.dimensions);
  }

  get size(): number {
    return this.index.size();
  }

  get dimensions(): number {
    return this.options.dimensions;
  }

  /** Applies one catalogue change; an older or equal `source_version` than the held one is a redelivery and is ignored. */
  apply(change: ItemChange): void {
    const id = itemIdOf(change.id);
    const held = this.items.get(id);
    if (held !== undefined && held.sourceVersion >= change.source_version) return;
    const servable = change.available && !change.deleted;
    const contentHash = servable ? contentHashOf(change) : '';
    if (held !== undefined && servable && held.servable && held.contentHash === contentHash) {
      // Price or status changed, not the text: the vector stands.
      this.items.set(id, { ...held, sourceVersion: change.source_version });
      return;
    }
    this.drop(id, held);
    this.queryVectors.clear();
    const terms = servable ? termVectorOf(change) : emptyTermVector;
    if (servable) this.frequencies.add(terms);
    const item: HeldItem = { id, sourceVersion: change.source_version, servable, indexed: false, contentHash, terms };
    this.items.set(id, item);
    if (this.bulkChanges !== undefined) {
      this.bulkChanges += 1;
      return;
    }
    if (!this.reembedIfDrifted() && servable) this.items.set(id, this.indexItem(item));
  }

  /**
   * Replaying the whole catalogue item by item would re-embed everything each time the document count
   * grew by the drift fraction (≈ 6 full passes from empty): hold the changes and embed once at the end.
   */
  beginBulk(): void {
    this.bulkChanges ??= 0;
  }

  /** Ends a bulk load: one full re-embed if anything changed (a warm start from the saved index changes nothing). */
  endBulk(): void {
    const changes = this.bulkChanges;
    this.bulkChanges = undefined;
    if (changes !== undefined && changes > 0) this.reembedAll(`bulk load of ${changes} changes`);
  }

  /** A compaction tombstone for the key: the item is gone, and so is its version. */
  forget(id: string): void {
    const held = this.items.get(id);
    if (held === undefined) return;
    this.drop(id, held);
    this.queryVectors.clear();
    this.items.delete(id);
    if (this.bulkChanges !== undefined) this.bulkChanges += 1;
    else this.reembedIfDrifted();
  }

  similarToItem(item: ItemId, limit: number): ScoredItem[] {
    return this.similarToItems([{ item, weight: 1 }], limit);
  }

  similarToItems(seeds: readonly WeightedSeed[], limit: number): ScoredItem[] {
    const wanted = Math.floor(limit);
    if (!(wanted > 0) || this.index.size() === 0) return [];
    const seedIds = new Set<string>(seeds.map((seed) => seed.item));
    const vectors: WeightedVector[] = [];
    for (const seed of seeds) {
      const vector = this.queryVector(seed.item);
      if (vector !== undefined) vectors.push({ vector, weight: seed.weight });
    }
    const query = weightedCentroid(vectors, this.options.dimensions);
    if (query === undefined) return [];

    const k = Math.min(this.index.size(), wanted + seedIds.size);
    const matches = this.index.search(query, k, 0);
    const results: ScoredItem[] = [];
    for (let i = 0; i < matches.keys.length; i += 1) {
      const id = String(matches.keys[i]);
      if (seedIds.has(id) || this.items.get(id)?.indexed !== true) continue;
      results.push({ item: id as ItemId, score: 1 - (matches.distances[i] as number) });
    }
    // Ties are ordered by id so equal inputs give equal lists (tests, caches, A/B comparisons).
    results.sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    return results.slice(0, wanted);
  }

  /** Recomputes every vector with the current IDF into a fresh usearch index (which also drops removed nodes' slots). */
  reembedAll(reason: string): void {
    const started = performance.now();
    const next = newVectorIndex(this.options.dimensions);
    const keys: bigint[] = [];
    const rows: Float32Array[] = [];
    // In id order and on one thread: HNSW's graph depends on insertion order, so the same catalogue
    // (whichever partition the reader happened to read first) gives the same index and the same answers.
    const ordered = [...this.items].sort(([a], [b]) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0));
    for (const [id, held] of ordered) {
      const vector = held.servable ? embedTerms(held.terms, this.frequencies, this.projection) : undefined;
      if (vector !== undefined) {
        keys.push(BigInt(id));
        rows.push(vector);
      }
      if (held.indexed !== (vector !== undefined)) this.items.set(id, { ...held, indexed: vector !== undefined });
    }
    if (keys.length > 0) {
      const matrix = new Float32Array(keys.length * this.options.dimensions);
      rows.forEach((row, i) => matrix.set(row, i * this.options.dimensions));
      next.add(BigUint64Array.from(keys), matrix, 1);
    }
    this.index = next;
    this.basisDocumentCount = this.frequencies.documentCount;
    this.options.log?.info({ reason, items: keys.length, vocabulary: this.frequencies.vocabularySize, ms: Math.round(performance.now() - started) }, 'content index re-embedded');
  }

  /** Writes the index and its sidecar into `dir` (created if missing); concurrent calls run one after another. */
  save(dir: string): Promise<void> {
    const run = this.saving.then(() => writeContentIndexFiles(dir, this.persistedState(), (path) => this.index.save(path)));
    this.saving = run.catch(() => undefined);
    return run;
  }

  /** Restores items and vectors; re-embeds when the usearch file is unusable or was built with other settings. */
  restore(state: PersistedState, indexFile: string | undefined): void {
    this.queryVectors.clear();
    for (const item of state.items) {
      const id = itemIdOf(item.id);
      this.items.set(id, { ...item, id });
      if (item.servable) this.frequencies.add(item.terms);
    }
    this.basisDocumentCount = state.basisDocumentCount;
    const problem = indexFile === undefined ? 'no usable index file' : this.loadVectors(state, indexFile);
    if (problem !== undefined) this.reembedAll(`restore: ${problem}`);
  }

  private loadVectors(state: PersistedState, indexFile: string): string | undefined {
    if (state.dimensions !== this.options.dimensions || state.seed !== this.options.seed) return 'saved with other dimensions or seed';
    const loaded = newVectorIndex(this.options.dimensions);
    try {
      loaded.load(indexFile);
    } catch (error) {
      this.options.log?.warn({ err: error, indexFile }, 'content index file unreadable');
      return 'index file unreadable';
    }
    // usearch adopts the file's dimensions silently, so check them and the key set against the sidecar.
    const indexed = state.items.filter((item) => item.indexed).map((item) => BigInt(item.id));
    const contained = indexed.length === 0 ? [] : loaded.contains(BigUint64Array.from(indexed));
    const allContained = Array.isArray(contained) ? contained.every(Boolean) : contained;
    if (loaded.dimensions() !== this.options.dimensions || loaded.size() !== indexed.length || !allContained) return 'index file disagrees with the sidecar';
    this.index = loaded;
    return undefined;
  }

  private persistedState(): PersistedState {
    return { dimensions: this.options.dimensions, seed: this.options.seed, basisDocumentCount: this.basisDocumentCount, items: [...this.items.values()] };
  }

  private queryVector(id: string): Float32Array | undefined {
    const cached = this.queryVectors.get(id);
    if (cached !== undefined) return cached;
    const held = this.items.get(id);
    const vector = held?.servable === true ? embedTerms(held.terms, this.frequencies, this.projection) : undefined;
    if (vector !== undefined) this.queryVectors.set(id, vector);
    return vector;
  }

  private drop(id: string, held: HeldItem | undefined): void {
    if (held === undefined) return;
    if (held.indexed) this.index.remove(BigInt(id));
    if (held.servable) this.frequencies.remove(held.terms);
  }

  private indexItem(item: HeldItem): HeldItem {
    const vector = embedTerms(item.terms, this.frequencies, this.projection);
    if (vector === undefined) return item;
    this.index.add(BigInt(item.id), vector, 0);
    return { ...item, indexed: true };
  }

  private reembedIfDrifted(): boolean {
    if (!idfDrifted(this.basisDocumentCount, this.frequencies.documentCount, this.options.idfDriftFraction)) return false;
    this.reembedAll(`document count ${this.basisDocumentCount} → ${this.frequencies.documentCount}`);
    return true;
  }
}

export function createContentIndex(options: ContentIndexOptions = {}): ContentIndex {
  return new ContentIndex(resolveOptions(options));
}

/**
 * The index saved in `dir`, verified; an empty index when nothing usable is there (the caller then
 * replays the catalogue from the start, which fills it). Items whose text has not changed since the
 * save are skipped by `apply` on that replay.
 */
export async function loadContentIndex(dir: string, options: ContentIndexOptions = {}): Promise<ContentIndex> {
  const index = createContentIndex(options);
  const stored = await readContentIndexFiles(dir);
  if (stored.kind === 'missing') {
    options.log?.info({ dir }, 'no saved content index; starting empty');
    return index;
  }
  if (stored.kind === 'corrupt') {
    options.log?.warn({ dir, reason: stored.reason }, 'saved content index is corrupt; starting empty');
    return index;
  }
  if (stored.indexProblem !== undefined) options.log?.warn({ dir, problem: stored.indexProblem }, 'content index file unusable; re-embedding from the sidecar');
  try {
    index.restore(stored.state, stored.indexFile);
  } catch (error) {
    // The sidecar parsed but holds something the index refuses (an id beyond int53): treat it as corrupt.
    if (!isAppError(error)) throw error;
    options.log?.warn({ dir, err: error }, 'saved content index is corrupt; starting empty');
    return createContentIndex(options);
  }
  options.log?.info({ dir, items: stored.state.items.length, indexed: index.size }, 'content index loaded');
  return index;
}
