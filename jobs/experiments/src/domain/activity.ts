/**
 * What the readout reads from ClickHouse, per user: the rows of the activity and purchase queries
 * (queries.ts), and their sums per user and variant — the unit every statistic is computed over.
 */

/** One user's answers in one variant during one time bucket (bucket = the request's time). */
export interface ActivityRow {
  readonly userId: string;
  readonly variant: string;
  readonly bucketMs: number;
  /** Distinct responses (request_id). */
  readonly requests: number;
  /** Items shown in those responses (items.shown = 1). */
  readonly exposures: number;
  /** Responses with a degradation (degraded_reasons not empty). */
  readonly degradedRequests: number;
  /** Distinct items clicked from those responses (interactions.request_id). */
  readonly clicks: number;
  /** Distinct items downloaded from those responses. */
  readonly downloads: number;
}

/** A user's purchases at or after their first exposure in the experiment, in one bucket (purchase time). */
export interface PurchaseRow {
  readonly userId: string;
  readonly bucketMs: number;
  readonly purchases: number;
  readonly revenue: number;
}

export interface UserTotals {
  requests: number;
  exposures: number;
  degradedRequests: number;
  clicks: number;
  downloads: number;
  purchases: number;
  revenue: number;
}

const emptyTotals = (): UserTotals => ({ requests: 0, exposures: 0, degradedRequests: 0, clicks: 0, downloads: 0, purchases: 0, revenue: 0 });

/**
 * Running sums per variant and user. Rows are added bucket by bucket (the timeline reads the sums after
 * each bucket). A purchase counts in every variant its user was exposed to so far: a user in two
 * variants (a config change mid-experiment) is a unit in each, and is reported as a crossover.
 */
export class UserLedger {
  readonly #byVariant = new Map<string, Map<string, UserTotals>>();
  readonly #variantsOfUser = new Map<string, Set<string>>();

  addActivity(row: ActivityRow): void {
    let users = this.#byVariant.get(row.variant);
    if (users === undefined) {
      users = new Map();
      this.#byVariant.set(row.variant, users);
    }
    let totals = users.get(row.userId);
    if (totals === undefined) {
      totals = emptyTotals();
      users.set(row.userId, totals);
    }
    totals.requests += row.requests;
    totals.exposures += row.exposures;
    totals.degradedRequests += row.degradedRequests;
    totals.clicks += row.clicks;
    totals.downloads += row.downloads;
    let variants = this.#variantsOfUser.get(row.userId);
    if (variants === undefined) {
      variants = new Set();
      this.#variantsOfUser.set(row.userId, variants);
    }
    variants.add(row.variant);
  }

  addPurchases(row: PurchaseRow): void {
    for (const variant of this.#variantsOfUser.get(row.userId) ?? []) {
      const totals = this.#byVariant.get(variant)?.get(row.userId);
      if (totals === undefined) continue;
      totals.purchases += row.purchases;
      totals.revenue += row.revenue;
    }
  }

  /** Every variant seen so far. */
  variants(): string[] {
    return [...this.#byVariant.keys()];
  }

  /** The users of a variant with their sums (a snapshot: later rows do not change it). */
  usersOf(variant: string): UserTotals[] {
    return [...(this.#byVariant.get(variant)?.values() ?? [])].map((totals) => ({ ...totals }));
  }

  /** Users exposed in more than one variant. */
  crossoverUsers(): number {
    let count = 0;
    for (const variants of this.#variantsOfUser.values()) if (variants.size > 1) count++;
    return count;
  }
}

/** The ledger after all rows. */
export function ledgerOf(activity: readonly ActivityRow[], purchases: readonly PurchaseRow[]): UserLedger {
  const ledger = new UserLedger();
  for (const row of activity) ledger.addActivity(row);
  for (const row of purchases) ledger.addPurchases(row);
  return ledger;
}

/** Sums over users. */
export function sumTotals(users: readonly UserTotals[]): UserTotals {
  const total = emptyTotals();
  for (const user of users) {
    total.requests += user.requests;
    total.exposures += user.exposures;
    total.degradedRequests += user.degradedRequests;
    total.clicks += user.clicks;
    total.downloads += user.downloads;
    total.purchases += user.purchases;
    total.revenue += user.revenue;
  }
  return total;
}
