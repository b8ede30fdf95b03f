import { CATALOGUE_SHAPE } from './catalogue.js';
import { Rng } from './rng.js';
import { MS_PER_DAY, addMs, type TimeWindow, type UserId } from './types.js';
import { CLUSTERS, INDUSTRIES, industryOf, type ClusterRef, type Grain } from './vocab/index.js';
import {
  COUNTRIES,
  EMAIL_DOMAINS_CN,
  EMAIL_DOMAINS_INTL,
  EN_COMPANY_KIND,
  EN_COMPANY_WORD,
  EN_FIRST,
  EN_LAST,
  ZH_COMPANY_CITY,
  ZH_COMPANY_KIND,
  ZH_COMPANY_WORD,
  ZH_GIVEN,
  ZH_PINYIN,
  ZH_SURNAMES,
  type CountryVocab,
} from './vocab/people.js';

export interface UserDraft {
  readonly email: string;
  readonly displayName: string;
  readonly company: string | null;
  readonly industry: string;
  /** ISO 3166-1 alpha-2, upper case (shop.users.country). */
  readonly country: string;
  readonly createdAt: Date;
}

export interface User extends UserDraft {
  readonly id: UserId;
}

/** What drives a person's browsing; latent (never stored), derived from the account itself. */
export interface Interests {
  readonly clusters: readonly { readonly key: string; readonly weight: number }[];
  readonly preferredGrain: Grain | null;
  readonly sessionsPerDay: number;
  /** Multiplies favourite / cart / checkout propensities. */
  readonly buyerFactor: number;
  readonly deviceCount: number;
}

export const POPULATION_SHAPE = {
  /** Share of accounts created inside the history window; they browse anonymously first. */
  newInWindowShare: 0.2,
  companyShare: 0.85,
} as const;

/**
 * `firstUserNumber` keeps e-mail addresses unique across runs: the caller passes a number above
 * every existing users.id, and user i gets number firstUserNumber + i.
 */
export function generateUserDrafts(rng: Rng, count: number, window: TimeWindow, firstUserNumber: number): UserDraft[] {
  const drafts: UserDraft[] = [];
  for (let i = 0; i < count; i++) {
    const userRng = rng.fork(`user-${i}`);
    const createdAt = userRng.chance(POPULATION_SHAPE.newInWindowShare)
      ? new Date(userRng.between(window.start.getTime(), window.end.getTime()))
      : addMs(window.start, -userRng.between(1, CATALOGUE_SHAPE.backCatalogueDays) * MS_PER_DAY);
    drafts.push(draftUser(userRng, firstUserNumber + i, createdAt));
  }
  return drafts;
}

export function draftUser(rng: Rng, userNumber: number, createdAt: Date): UserDraft {
  const country = rng.weightedPick(COUNTRIES, (c) => c.weight);
  const industry = rng.weightedPick(INDUSTRIES, (candidate) => candidate.weight);
  const { displayName, handle } = personName(rng, country);
  const domains = country.chinese ? EMAIL_DOMAINS_CN : EMAIL_DOMAINS_INTL;
  return {
    email: `${handle}.${userNumber}@${rng.pick(domains)}`,
    displayName,
    company: rng.chance(POPULATION_SHAPE.companyShare) ? companyName(rng, country) : null,
    industry: industry.key,
    country: country.code.toUpperCase(),
    createdAt,
  };
}

function personName(rng: Rng, country: CountryVocab): { displayName: string; handle: string } {
  if (country.chinese) {
    const surname = rng.pick(ZH_SURNAMES);
    const given = rng.pick(ZH_GIVEN);
    return { displayName: `${surname}${given}`, handle: `${ZH_PINYIN[surname] ?? 'user'}${rng.intBetween(10, 99)}` };
  }
  const first = rng.pick(EN_FIRST);
  const last = rng.pick(EN_LAST);
  return { displayName: `${first} ${last}`, handle: `${first}.${last}`.toLowerCase() };
}

function companyName(rng: Rng, country: CountryVocab): string {
  if (country.chinese) return `${rng.pick(ZH_COMPANY_CITY)}${rng.pick(ZH_COMPANY_WORD)}${rng.pick(ZH_COMPANY_KIND)}`;
  return `${rng.pick(EN_COMPANY_WORD)} ${rng.pick(EN_COMPANY_KIND)}`;
}

/**
 * Latent interests of an account, a pure function of its e-mail and industry: the bulk run and
 * any later trickle run (which only sees the stored row) agree on who likes what.
 */
export function interestsOf(user: Pick<UserDraft, 'email' | 'industry'>): Interests {
  const rng = new Rng(`interests/${user.email}`);
  const own = CLUSTERS.filter((ref) => ref.industry.key === user.industry);
  const primary = own.length > 0 && rng.chance(0.85) ? rng.pick(own) : rng.pick(CLUSTERS);
  const clusters = [{ key: primary.cluster.key, weight: 0.65 }];
  const secondaryCount = rng.intBetween(0, 2);
  for (let i = 0; i < secondaryCount; i++) {
    const pool = own.length > 1 && rng.chance(0.6) ? own : CLUSTERS;
    const candidate = rng.pick(pool);
    if (clusters.some((c) => c.key === candidate.cluster.key)) continue;
    clusters.push({ key: candidate.cluster.key, weight: 0.35 / secondaryCount });
  }
  return {
    clusters,
    preferredGrain: rng.chance(0.5) ? rng.pick(rng.pick(primary.cluster.measures).grains) : null,
    sessionsPerDay: Math.min(3, rng.logNormal(0.2, 0.9)),
    buyerFactor: Math.min(3, rng.logNormal(1, 0.5)),
    deviceCount: rng.chance(0.3) ? 2 : 1,
  };
}

/** Anonymous visitors: one cluster, picked in proportion to how much traffic clusters get. */
export function anonymousInterests(rng: Rng, clusterWeights: ReadonlyMap<string, number>): Interests {
  const keys = [...clusterWeights.keys()];
  const fallback: ClusterRef = rng.pick(CLUSTERS);
  const key = keys.length > 0 ? rng.weightedPick(keys, (k) => clusterWeights.get(k) ?? 0) : fallback.cluster.key;
  return { clusters: [{ key, weight: 1 }], preferredGrain: null, sessionsPerDay: 0, buyerFactor: 0, deviceCount: 1 };
}

export const industryLabelEn = (key: string): string => industryOf(key)?.label.en ?? key;

export const assignUserIds = (drafts: readonly UserDraft[], ids: readonly UserId[]): User[] =>
  drafts.map((draft, i) => {
    const id = ids[i];
    if (id === undefined) throw new RangeError(`no id for user draft ${i}`);
    return { ...draft, id };
  });
