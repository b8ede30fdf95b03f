import type { Bilingual } from '../types.js';

/** Time granularity of a dataset; its tag goes into datasets.tags. */
export const Grain = {
  Realtime: 'realtime',
  Minute: 'minute',
  Hourly: 'hourly',
  Daily: 'daily',
  Weekly: 'weekly',
  Monthly: 'monthly',
  Quarterly: 'quarterly',
  Annual: 'annual',
  Snapshot: 'snapshot',
} as const;
export type Grain = (typeof Grain)[keyof typeof Grain];

export interface GrainVocab extends Bilingual {
  readonly key: Grain;
  /** Finer data costs more. */
  readonly priceFactor: number;
}

export const GRAINS: Readonly<Record<Grain, GrainVocab>> = {
  realtime: { key: 'realtime', zh: '实时', en: 'real-time', priceFactor: 6 },
  minute: { key: 'minute', zh: '分钟级', en: 'minute-level', priceFactor: 4 },
  hourly: { key: 'hourly', zh: '小时级', en: 'hourly', priceFactor: 2.5 },
  daily: { key: 'daily', zh: '日度', en: 'daily', priceFactor: 1.5 },
  weekly: { key: 'weekly', zh: '周度', en: 'weekly', priceFactor: 1 },
  monthly: { key: 'monthly', zh: '月度', en: 'monthly', priceFactor: 0.8 },
  quarterly: { key: 'quarterly', zh: '季度', en: 'quarterly', priceFactor: 0.7 },
  annual: { key: 'annual', zh: '年度', en: 'annual', priceFactor: 0.5 },
  snapshot: { key: 'snapshot', zh: '全量', en: 'full snapshot', priceFactor: 1.2 },
};

export const Region = {
  China: 'china',
  UnitedStates: 'us',
  HongKong: 'hk',
  Global: 'global',
  Europe: 'europe',
} as const;
export type Region = (typeof Region)[keyof typeof Region];

/** What a dataset is about, with its region (its tag goes into datasets.tags). */
export interface SubjectVocab extends Bilingual {
  readonly region: Region;
}

/** What is measured; the tag is unique within its cluster and names a dataset series. */
export interface MeasureVocab extends Bilingual {
  readonly tag: string;
  readonly grains: readonly Grain[];
  /** Idiomatic Chinese grain words of this measure, e.g. 日线 for daily price bars. */
  readonly zhGrain?: Partial<Record<Grain, string>>;
}

/**
 * A cluster of related datasets inside an industry. Its `tag` is unique across the whole
 * vocabulary, so a dataset's cluster can be recovered from its stored tags alone.
 */
export interface ClusterVocab {
  readonly key: string;
  readonly tag: string;
  readonly subjects: readonly SubjectVocab[];
  readonly measures: readonly MeasureVocab[];
  readonly fields: readonly Bilingual[];
  /** Median price in CNY of a weekly-grain dataset of this cluster. */
  readonly priceLevel: number;
}

export interface IndustryVocab {
  readonly key: string;
  readonly tag: string;
  readonly label: Bilingual;
  /** Relative size of the industry in catalogue and audience. */
  readonly weight: number;
  readonly clusters: readonly ClusterVocab[];
  readonly sellers: readonly string[];
  readonly useCases: readonly Bilingual[];
}

export const s = (zh: string, en: string, region: Region): SubjectVocab => ({ zh, en, region });

export const m = (
  tag: string,
  zh: string,
  en: string,
  grains: readonly Grain[],
  zhGrain?: Partial<Record<Grain, string>>,
): MeasureVocab => (zhGrain === undefined ? { tag, zh, en, grains } : { tag, zh, en, grains, zhGrain });

/** Fields as 'zh/en' pairs: f('开盘价/open', '收盘价/close'). */
export const f = (...pairs: readonly string[]): Bilingual[] =>
  pairs.map((pair) => {
    const [zh = pair, en = pair] = pair.split('/');
    return { zh, en };
  });

export const b = (zh: string, en: string): Bilingual => ({ zh, en });
