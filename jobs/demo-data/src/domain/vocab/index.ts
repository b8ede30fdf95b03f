import { AGRICULTURE, ECOMMERCE, ENERGY, FINANCE, HEALTHCARE, TRANSPORTATION } from './industries-a.js';
import { EDUCATION, ENVIRONMENT, GOVERNMENT, MANUFACTURING, REAL_ESTATE, TELECOM } from './industries-b.js';
import type { ClusterVocab, IndustryVocab } from './model.js';

export * from './model.js';

export const INDUSTRIES: readonly IndustryVocab[] = [
  FINANCE,
  ECOMMERCE,
  HEALTHCARE,
  TRANSPORTATION,
  ENERGY,
  AGRICULTURE,
  REAL_ESTATE,
  MANUFACTURING,
  TELECOM,
  EDUCATION,
  GOVERNMENT,
  ENVIRONMENT,
];

export interface ClusterRef {
  readonly industry: IndustryVocab;
  readonly cluster: ClusterVocab;
}

export const CLUSTERS: readonly ClusterRef[] = INDUSTRIES.flatMap((industry) =>
  industry.clusters.map((cluster) => ({ industry, cluster })),
);

const clusterByKey = new Map(CLUSTERS.map((ref) => [ref.cluster.key, ref]));
const clusterByTag = new Map(CLUSTERS.map((ref) => [ref.cluster.tag, ref]));
const industryByKey = new Map(INDUSTRIES.map((industry) => [industry.key, industry]));

export function industryOf(key: string): IndustryVocab | undefined {
  return industryByKey.get(key);
}

export function clusterOf(key: string): ClusterRef | undefined {
  return clusterByKey.get(key);
}

/** The cluster of a dataset, recovered from its stored tags (each cluster tag is unique). */
export function clusterFromTags(tags: readonly string[]): ClusterRef | undefined {
  for (const tag of tags) {
    const ref = clusterByTag.get(tag);
    if (ref) return ref;
  }
  return undefined;
}
