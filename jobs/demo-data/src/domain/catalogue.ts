import type { Rng } from './rng.js';
import { DatasetStatus, Language, MS_PER_DAY, addMs, type DatasetId, type TimeWindow } from './types.js';
import { CLUSTERS, GRAINS, Grain, type ClusterRef } from './vocab/index.js';

/** A catalogue item before the database gave it an id. Prices are integer cents (CNY). */
export interface DatasetDraft {
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly industry: string;
  readonly priceCents: number;
  readonly status: DatasetStatus;
  readonly seller: string;
  readonly createdAt: Date;
}

export interface Dataset extends DatasetDraft {
  readonly id: DatasetId;
}

export const CATALOGUE_SHAPE = {
  freeShare: 0.1,
  draftShare: 0.05,
  unlistedShare: 0.03,
  chineseShare: 0.55,
  /** Share of datasets first published inside the history window (the rest are older). */
  newInWindowShare: 0.12,
  /** How far back the oldest datasets and accounts go. */
  backCatalogueDays: 730,
} as const;

/** Price points a seller would pick, in CNY. */
const PRICE_LADDER = [
  9.9, 19, 29, 49, 69, 99, 129, 199, 299, 399, 499, 699, 999, 1299, 1999, 2999, 3999, 4999, 6999, 9999, 14999,
  19999, 29999, 49999,
];

export function nicePriceCents(price: number): number {
  let best = PRICE_LADDER[0] ?? 9.9;
  for (const candidate of PRICE_LADDER) {
    if (Math.abs(Math.log(candidate / price)) < Math.abs(Math.log(best / price))) best = candidate;
  }
  return Math.round(best * 100);
}

const FORMATS = ['CSV', 'Parquet', 'API', 'JSON', 'Excel'] as const;
const EDITIONS = [
  { zh: '（精选版）', en: ' (curated)' },
  { zh: '（清洗版）', en: ' (cleaned)' },
  { zh: '（含历史回溯）', en: ' (with backfill)' },
] as const;

/** Thousands of drafts spread over the clusters, sizes skewed like a real marketplace. */
export function generateDatasetDrafts(rng: Rng, count: number, window: TimeWindow): DatasetDraft[] {
  const sizeRng = rng.fork('cluster-sizes');
  const clusterWeights = CLUSTERS.map(
    (ref) => (ref.industry.weight / ref.industry.clusters.length) * sizeRng.between(0.5, 1.5),
  );
  const drafts: DatasetDraft[] = [];
  for (let i = 0; i < count; i++) {
    const itemRng = rng.fork(`dataset-${i}`);
    const ref = CLUSTERS[itemRng.weightedIndex(clusterWeights)] as ClusterRef;
    const createdAt = itemRng.chance(CATALOGUE_SHAPE.newInWindowShare)
      ? new Date(itemRng.between(window.start.getTime(), window.end.getTime()))
      : addMs(window.start, -itemRng.between(1, CATALOGUE_SHAPE.backCatalogueDays) * MS_PER_DAY);
    const roll = itemRng.next();
    const status =
      roll < CATALOGUE_SHAPE.draftShare
        ? DatasetStatus.Draft
        : roll < CATALOGUE_SHAPE.draftShare + CATALOGUE_SHAPE.unlistedShare
          ? DatasetStatus.Unlisted
          : DatasetStatus.Listed;
    drafts.push(draftDatasetIn(itemRng, ref, createdAt, status));
  }
  return drafts;
}

/** One dataset of a cluster: a subject × measure × grain, titled and described in one language. */
export function draftDatasetIn(rng: Rng, ref: ClusterRef, createdAt: Date, status: DatasetStatus): DatasetDraft {
  const { industry, cluster } = ref;
  const subject = rng.pick(cluster.subjects);
  const measure = rng.pick(cluster.measures);
  const grain = rng.pick(measure.grains);
  const grainVocab = GRAINS[grain];
  const language = rng.chance(CATALOGUE_SHAPE.chineseShare) ? Language.Chinese : Language.English;
  const seller = rng.pick(industry.sellers);
  const useCase = rng.pick(industry.useCases);
  const format = rng.pick(FORMATS);
  const endYear = createdAt.getUTCFullYear() - rng.int(2);
  const startYear = endYear - rng.intBetween(1, 15);
  const edition = rng.chance(0.15) ? rng.pick(EDITIONS) : null;
  const fields = rng.shuffle(cluster.fields).slice(0, rng.intBetween(3, cluster.fields.length));
  const isSnapshot = grain === Grain.Snapshot;

  let title: string;
  let description: string;
  if (language === Language.Chinese) {
    const grainWord = measure.zhGrain?.[grain] ?? grainVocab.zh;
    title = isSnapshot
      ? `${subject.zh}${measure.zh}全量数据（截至${endYear}年）`
      : `${subject.zh}${grainWord}${measure.zh} ${startYear}-${endYear}`;
    title += edition?.zh ?? '';
    description =
      `${title}。本数据集由${seller}提供，收录${subject.zh}的${measure.zh}数据，` +
      (isSnapshot ? `为截至${endYear}年的全量快照。` : `时间范围${startYear}年至${endYear}年，按${grainVocab.zh}更新。`) +
      `主要字段：${fields.map((field) => field.zh).join('、')}。交付格式：${format}。适用场景：${useCase.zh}。`;
  } else {
    title = isSnapshot
      ? `${subject.en} ${measure.en} full snapshot (as of ${endYear})`
      : `${subject.en} ${grainVocab.en} ${measure.en} ${startYear}-${endYear}`;
    title = title.charAt(0).toUpperCase() + title.slice(1) + (edition?.en ?? '');
    description =
      `${title}. Provided by ${seller}: ${measure.en} of ${subject.en}` +
      (isSnapshot ? `, a full snapshot as of ${endYear}. ` : ` from ${startYear} to ${endYear} at ${grainVocab.en} granularity. `) +
      `Fields: ${fields.map((field) => field.en).join(', ')}. Delivery: ${format}. Typical use: ${useCase.en}.`;
  }

  const free = rng.chance(CATALOGUE_SHAPE.freeShare);
  const priceCents = free ? 0 : nicePriceCents(cluster.priceLevel * grainVocab.priceFactor * rng.logNormal(1, 0.7));
  const tags = [industry.tag, cluster.tag, subject.region, measure.tag, grain];
  if (format === 'API') tags.push('api');
  return { title, description, tags, industry: industry.key, priceCents, status, seller, createdAt };
}

/**
 * Long-tail popularity: Zipf weights 1 / rank^exponent over a random ranking, so a few datasets
 * draw most of the traffic and most datasets are rarely seen.
 */
export function zipfPopularity(rng: Rng, datasets: readonly Dataset[], exponent = 1.05): Map<DatasetId, number> {
  const ranking = rng.shuffle(datasets.map((dataset) => dataset.id));
  return new Map(ranking.map((id, rank) => [id, 1 / Math.pow(rank + 1, exponent)]));
}

export const assignDatasetIds = (drafts: readonly DatasetDraft[], ids: readonly DatasetId[]): Dataset[] =>
  drafts.map((draft, i) => {
    const id = ids[i];
    if (id === undefined) throw new RangeError(`no id for dataset draft ${i}`);
    return { ...draft, id };
  });
