import { cartPriceFactor } from './affinity.js';
import type { Catalogue, CatalogueEntry } from './catalogue-index.js';
import { EventAction, Pages, type Page } from './matomo.js';
import { industryLabelEn, type Interests, type User } from './population.js';
import type { Rng } from './rng.js';
import type {
  OrderItemPlan,
  OrderPlan,
  ProductInfo,
  Referrer,
  SessionRecord,
  SessionStep,
  VisitorHistory,
} from './session-model.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND, OrderStatus, addMs, type DatasetId } from './types.js';
import type { VisitorProfile } from './visitor.js';
import { clusterOf } from './vocab/index.js';
import { REFERRERS, RefererType } from './vocab/web.js';

/** Conversion rates of the browse → favourite → cart → purchase funnel (per dataset view). */
export const FUNNEL = {
  favoritePerView: 0.06,
  cartPerView: 0.08,
  favoritedCartBoost: 2,
  downloadFreePerView: 0.3,
  redownloadOwnedPerView: 0.2,
  checkoutPerCart: 0.6,
  paidPerCheckout: 0.86,
  cancelledPerCheckout: 0.09,
  refundPerPaid: 0.05,
  downloadAfterPurchase: 0.7,
  clickBeforeDatasetView: 0.7,
  /** Share of dataset navigations that stay in the current dataset's series. */
  seriesNavigation: 0.35,
  /** Share that leaves the visit's focus cluster to explore. */
  exploration: 0.12,
} as const;

/** The buying propensity the funnel multiplies (favourite, cart, checkout), bounded to [0.2, 3]. */
export const buyerPropensity = (interests: Interests): number => Math.min(3, Math.max(0.2, interests.buyerFactor));

export interface SessionContext {
  readonly key: string;
  readonly startAt: Date;
  readonly visitor: VisitorProfile;
  /** The logged-in account, or null when browsing anonymously. */
  readonly user: User | null;
  readonly interests: Interests;
  readonly history: VisitorHistory;
  readonly owned: ReadonlySet<DatasetId>;
  readonly favorites: ReadonlySet<DatasetId>;
  readonly catalogue: Catalogue;
  /** Refunds dated before this instant become part of the record (bulk: the window's end). */
  readonly refundHorizon: Date;
}

const MAX_VISIT_SPAN_MS = 60 * MS_PER_MINUTE;

/** Plans one visit: pages, events, orders, in time order. Pure: same rng state → same visit. */
export function generateSession(rng: Rng, ctx: SessionContext): SessionRecord {
  return new SessionBuilder(rng, ctx).build();
}

class SessionBuilder {
  private readonly steps: SessionStep[] = [];
  private readonly orders: OrderPlan[] = [];
  private readonly cart: OrderItemPlan[] = [];
  private readonly favorites: Set<DatasetId>;
  private readonly owned: Set<DatasetId>;
  private readonly focus: string | undefined;
  private readonly buyerFactor: number;
  private now: Date;
  private page: Page | null = null;
  private pageviewId = '';
  private pageviews = 0;

  constructor(
    private readonly rng: Rng,
    private readonly ctx: SessionContext,
  ) {
    this.favorites = new Set(ctx.favorites);
    this.owned = new Set(ctx.owned);
    this.now = ctx.startAt;
    this.focus = ctx.interests.clusters.length > 0 ? rng.weightedPick(ctx.interests.clusters, (c) => c.weight).key : undefined;
    this.buyerFactor = buyerPropensity(ctx.interests);
  }

  build(): SessionRecord {
    const referrer = this.chooseReferrer();
    const loggedIn = this.ctx.user !== null;
    const target = 1 + Math.min(24, this.rng.geometric(loggedIn ? 4.5 : 2.5));
    this.visit(this.entryPage(referrer), this.ctx.startAt);
    while (this.pageviews < target && this.now.getTime() - this.ctx.startAt.getTime() < MAX_VISIT_SPAN_MS) {
      const next = this.nextPage();
      const at = this.after(40, 0.8, 3, 900);
      if (next.datasetId !== null && this.rng.chance(FUNNEL.clickBeforeDatasetView)) {
        this.event(EventAction.Click, next.datasetId, null, addMs(at, -MS_PER_SECOND));
      }
      this.visit(next, at);
    }
    this.checkout();
    return {
      key: this.ctx.key,
      visitor: this.ctx.visitor,
      userId: this.ctx.user?.id ?? null,
      startAt: this.ctx.startAt,
      referrer,
      history: this.ctx.history,
      steps: this.steps,
      orders: this.orders,
    };
  }

  private chooseReferrer(): Referrer {
    const fromChina = this.ctx.visitor.country.code === 'cn';
    const candidates = REFERRERS.filter((r) => (fromChina ? !r.intlOnly : !r.chinaOnly));
    const { type, name, url, keyword } = this.rng.weightedPick(candidates, (r) => r.weight);
    return { type, name, url, keyword };
  }

  private entryPage(referrer: Referrer): Page {
    const roll = this.rng.next();
    const datasetShare = referrer.type === RefererType.Direct ? 0.3 : referrer.type === RefererType.Campaign ? 0.5 : 0.7;
    if (roll < datasetShare) return this.datasetPage(null) ?? Pages.home();
    if (referrer.type !== RefererType.Direct || roll < datasetShare + 0.5) return Pages.home();
    return this.industryPage();
  }

  private nextPage(): Page {
    const roll = this.rng.next();
    if (roll < 0.07) return Pages.home();
    if (roll < 0.13) return this.industryPage();
    if (roll < 0.16 && this.cart.length > 0) return Pages.cart();
    return this.datasetPage(this.page?.datasetId ?? null) ?? Pages.home();
  }

  private industryPage(): Page {
    const industry = this.focus === undefined ? undefined : clusterOf(this.focus)?.industry.key;
    return Pages.industry(industry ?? 'finance');
  }

  private datasetPage(current: DatasetId | null): Page | null {
    const entry = this.nextDataset(current);
    return entry ? Pages.dataset(entry.dataset.id, entry.dataset.title) : null;
  }

  private nextDataset(current: DatasetId | null): CatalogueEntry | undefined {
    const { catalogue, interests } = this.ctx;
    const at = this.now;
    const currentEntry = current === null ? undefined : catalogue.get(current);
    const roll = this.rng.next();
    let entry: CatalogueEntry | undefined;
    if (currentEntry?.seriesKey && roll < FUNNEL.seriesNavigation) {
      entry = catalogue.drawFromSeries(this.rng, currentEntry.seriesKey, at, currentEntry.dataset.id);
    }
    if (!entry && this.focus !== undefined && roll < 1 - FUNNEL.exploration) {
      entry = catalogue.drawFromCluster(this.rng, this.focus, at, interests.preferredGrain, current);
    }
    if (!entry && interests.clusters.length > 1 && this.rng.chance(0.5)) {
      entry = catalogue.drawFromCluster(this.rng, this.rng.pick(interests.clusters).key, at, null, current);
    }
    entry ??= catalogue.drawPopular(this.rng, at);
    return entry?.dataset.id === current ? undefined : entry;
  }

  private visit(page: Page, at: Date, orderIndex: number | null = null): void {
    this.now = at;
    this.page = page;
    this.pageviewId = this.rng.token(6);
    this.pageviews++;
    const entry = page.datasetId === null ? undefined : this.ctx.catalogue.get(page.datasetId);
    this.steps.push({
      kind: 'pageview',
      at,
      page,
      pageviewId: this.pageviewId,
      product: entry ? productOf(entry) : null,
      orderIndex,
    });
    if (entry && this.ctx.user !== null) this.engage(entry);
  }

  /** What a logged-in visitor may do on a dataset page: download, favourite, add to cart. */
  private engage(entry: CatalogueEntry): void {
    const { id, priceCents } = entry.dataset;
    const free = priceCents === 0;
    if (free || this.owned.has(id)) {
      if (this.rng.chance(free ? FUNNEL.downloadFreePerView : FUNNEL.redownloadOwnedPerView)) {
        this.event(EventAction.Download, id, null);
      }
    }
    const favoritedNow = !this.favorites.has(id) && this.rng.chance(FUNNEL.favoritePerView * this.buyerFactor);
    if (favoritedNow) {
      this.favorites.add(id);
      this.event(EventAction.Favorite, id, null);
    }
    if (free || this.owned.has(id) || this.cart.some((item) => item.datasetId === id)) return;
    const boost = this.favorites.has(id) ? FUNNEL.favoritedCartBoost : 1;
    if (this.rng.chance(FUNNEL.cartPerView * this.buyerFactor * boost * cartPriceFactor(priceCents))) {
      const quantity = this.rng.chance(0.93) ? 1 : this.rng.intBetween(2, 3);
      this.cart.push({ ...productOf(entry), quantity });
      this.event(EventAction.AddToCart, id, priceCents / 100);
    }
  }

  private event(action: EventAction, datasetId: DatasetId, value: number | null, at?: Date): void {
    const page = this.page ?? Pages.home();
    const when = at ?? this.after(6, 0.6, 1, 120);
    this.steps.push({ kind: 'event', at: when, page, pageviewId: this.pageviewId, action, datasetId, value });
  }

  private checkout(): void {
    const user = this.ctx.user;
    if (user === null || this.cart.length === 0) return;
    if (!this.rng.chance(Math.min(0.95, FUNNEL.checkoutPerCart * Math.sqrt(this.buyerFactor)))) return;
    this.visit(Pages.cart(), this.after(30, 0.6, 3, 300));
    const createdAt = this.after(40, 0.6, 5, 300);
    const orderIndex = this.orders.length;
    this.visit(Pages.checkout(), createdAt, orderIndex);
    const items = this.cart.splice(0);
    const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const roll = this.rng.next();
    if (roll >= FUNNEL.paidPerCheckout + FUNNEL.cancelledPerCheckout) {
      this.orders.push({ userId: user.id, items, totalCents, createdAt, status: OrderStatus.Pending, paidAt: null, settledAt: createdAt });
      return;
    }
    const settledAt = this.after(60, 0.7, 10, 600);
    this.steps.push({ kind: 'payment', at: settledAt, orderIndex });
    if (roll >= FUNNEL.paidPerCheckout) {
      this.orders.push({ userId: user.id, items, totalCents, createdAt, status: OrderStatus.Cancelled, paidAt: null, settledAt });
      return;
    }
    const refundAt = this.rng.chance(FUNNEL.refundPerPaid) ? addMs(settledAt, this.rng.between(1, 12) * MS_PER_DAY) : null;
    const refunded = refundAt !== null && refundAt < this.ctx.refundHorizon;
    this.orders.push({
      userId: user.id,
      items,
      totalCents,
      createdAt,
      status: refunded ? OrderStatus.Refunded : OrderStatus.Paid,
      paidAt: settledAt,
      settledAt: refunded ? refundAt : settledAt,
    });
    for (const item of items) this.owned.add(item.datasetId);
    this.visit(Pages.library(), this.after(20, 0.5, 3, 120));
    for (const item of items) {
      if (this.rng.chance(FUNNEL.downloadAfterPurchase)) this.event(EventAction.Download, item.datasetId, null);
    }
  }

  /** Advances the clock by a log-normal delay (median and clamp in seconds). */
  private after(medianSeconds: number, sigma: number, minSeconds: number, maxSeconds: number): Date {
    const seconds = Math.min(maxSeconds, Math.max(minSeconds, this.rng.logNormal(medianSeconds, sigma)));
    this.now = addMs(this.now, Math.round(seconds * MS_PER_SECOND));
    return this.now;
  }
}

export const productOf = (entry: CatalogueEntry): ProductInfo => ({
  datasetId: entry.dataset.id,
  name: entry.dataset.title,
  category: industryLabelEn(entry.dataset.industry),
  priceCents: entry.dataset.priceCents,
});
