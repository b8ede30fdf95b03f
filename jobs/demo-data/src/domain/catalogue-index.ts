import type { Dataset } from './catalogue.js';
import type { Rng } from './rng.js';
import { DatasetStatus, type DatasetId } from './types.js';
import { GRAINS, clusterFromTags, type Grain } from './vocab/index.js';
import { WeightedTable } from './weighted-table.js';

/** A dataset with what the generator knows about it beyond its row: cluster, series, weight. */
export interface CatalogueEntry {
  readonly dataset: Dataset;
  readonly clusterKey: string | null;
  /** Datasets of one series share cluster, region and measure and differ in grain/years. */
  readonly seriesKey: string | null;
  readonly grain: Grain | null;
  readonly popularity: number;
}

const GRAIN_KEYS = new Set<string>(Object.keys(GRAINS));

/** Cluster, series and grain of a dataset, recovered from its tags (so this works on DB rows). */
export function describeDataset(dataset: Dataset): Omit<CatalogueEntry, 'dataset' | 'popularity'> {
  const ref = clusterFromTags(dataset.tags);
  const grain = (dataset.tags.find((tag) => GRAIN_KEYS.has(tag)) ?? null) as Grain | null;
  if (!ref) return { clusterKey: null, seriesKey: null, grain };
  const region = ref.cluster.subjects.map((subject) => subject.region).find((r) => dataset.tags.includes(r));
  const measure = ref.cluster.measures.find((candidate) => dataset.tags.includes(candidate.tag));
  const seriesKey = `${ref.cluster.key}|${region ?? '-'}|${measure?.tag ?? '-'}`;
  return { clusterKey: ref.cluster.key, seriesKey, grain };
}

/**
 * The browsable catalogue with weighted samplers per cluster, per series and overall. Only listed
 * datasets are drawn; the samplers are rebuilt lazily after a change (new listing, unlisting).
 */
export class Catalogue {
  private readonly entries = new Map<DatasetId, CatalogueEntry>();
  private indexes: CatalogueIndexes | null = null;

  constructor(datasets: readonly Dataset[], popularityOf: (dataset: Dataset) => number) {
    for (const dataset of datasets) this.put(dataset, popularityOf(dataset));
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: DatasetId): CatalogueEntry | undefined {
    return this.entries.get(id);
  }

  all(): CatalogueEntry[] {
    return [...this.entries.values()];
  }

  listed(): CatalogueEntry[] {
    return this.all().filter((entry) => entry.dataset.status === DatasetStatus.Listed);
  }

  put(dataset: Dataset, popularity: number): void {
    this.entries.set(dataset.id, { dataset, popularity, ...describeDataset(dataset) });
    this.indexes = null;
  }

  update(id: DatasetId, change: Partial<Pick<Dataset, 'priceCents' | 'status'>>): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.set(id, { ...entry, dataset: { ...entry.dataset, ...change } });
    this.indexes = null;
  }

  remove(id: DatasetId): void {
    this.entries.delete(id);
    this.indexes = null;
  }

  /** Clusters that have listed datasets, with their total popularity. */
  clusterWeights(): ReadonlyMap<string, number> {
    return this.index().clusterWeight;
  }

  drawFromCluster(
    rng: Rng,
    clusterKey: string,
    at: Date,
    preferredGrain: Grain | null = null,
    excluding: DatasetId | null = null,
  ): CatalogueEntry | undefined {
    const table = this.index().byCluster.get(clusterKey);
    if (!table) return undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const entry = drawAvailable(rng, table, at, preferredGrain);
      if (entry?.dataset.id !== excluding || excluding === null) return entry;
    }
    return undefined;
  }

  drawFromSeries(rng: Rng, seriesKey: string, at: Date, excluding: DatasetId): CatalogueEntry | undefined {
    const table = this.index().bySeries.get(seriesKey);
    if (!table || table.size < 2) return undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const entry = drawAvailable(rng, table, at, null);
      if (entry && entry.dataset.id !== excluding) return entry;
    }
    return undefined;
  }

  drawPopular(rng: Rng, at: Date): CatalogueEntry | undefined {
    return drawAvailable(rng, this.index().overall, at, null);
  }

  private index(): CatalogueIndexes {
    this.indexes ??= buildIndexes(this.listed());
    return this.indexes;
  }
}

interface CatalogueIndexes {
  readonly overall: WeightedTable<CatalogueEntry>;
  readonly byCluster: ReadonlyMap<string, WeightedTable<CatalogueEntry>>;
  readonly bySeries: ReadonlyMap<string, WeightedTable<CatalogueEntry>>;
  readonly clusterWeight: ReadonlyMap<string, number>;
}

function buildIndexes(listed: readonly CatalogueEntry[]): CatalogueIndexes {
  const clusters = groupBy(listed, (entry) => entry.clusterKey);
  const series = groupBy(listed, (entry) => entry.seriesKey);
  const weight = (entry: CatalogueEntry): number => entry.popularity;
  const byCluster = new Map([...clusters].map(([key, items]) => [key, new WeightedTable(items, weight)]));
  return {
    overall: new WeightedTable(listed, weight),
    byCluster,
    bySeries: new Map([...series].map(([key, items]) => [key, new WeightedTable(items, weight)])),
    clusterWeight: new Map([...byCluster].map(([key, table]) => [key, table.totalWeight])),
  };
}

function groupBy(entries: readonly CatalogueEntry[], keyOf: (entry: CatalogueEntry) => string | null): Map<string, CatalogueEntry[]> {
  const groups = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}

/** Rejection sampling: only datasets already published at `at`, leaning to the preferred grain. */
function drawAvailable(
  rng: Rng,
  table: WeightedTable<CatalogueEntry>,
  at: Date,
  preferredGrain: Grain | null,
): CatalogueEntry | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const entry = table.draw(rng);
    if (!entry || entry.dataset.createdAt > at) continue;
    if (preferredGrain !== null && entry.grain !== preferredGrain && attempt < 3 && rng.chance(0.5)) continue;
    return entry;
  }
  return undefined;
}
