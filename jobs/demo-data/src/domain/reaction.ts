import { UNKNOWN_ITEM_MATCH, matchItem, type ItemMatch } from './affinity.js';
import type { CatalogueEntry } from './catalogue-index.js';
import type { AnswerEffects } from './planted-effects.js';
import type { Interests } from './population.js';
import type { Rng } from './rng.js';
import type { OrderItemPlan, OrderPlan } from './session-model.js';
import { FUNNEL, buyerPropensity, productOf } from './session.js';
import { MS_PER_SECOND, OrderStatus, type DatasetId, type UserId } from './types.js';

/**
 * How a person reacts to a recommendation answer on the storefront: which shown datasets they look
 * at (position bias), click (affinity to their latent interests), and what they do on the dataset
 * page they open (the organic funnel, scaled by the same affinity); carts may end in an order. Pure:
 * the same rng state, shopper and answer give the same reaction.
 */
export const BeaconAction = { View: 'view', Click: 'click', Download: 'download', Favorite: 'favorite', Cart: 'cart' } as const;
export type BeaconAction = (typeof BeaconAction)[keyof typeof BeaconAction];

export const REACTION = {
  /** Click probability of a looked-at dataset with affinity 1 (a cheap dataset of the strongest interest). */
  clickAtFullAffinity: 0.35,
  /** Median seconds until the first item is looked at, then per further position. */
  firstLookSeconds: 3,
  nextLookSeconds: 1.5,
  /** Median seconds on a dataset page before each action (download, favourite, cart). */
  pageActionSeconds: 10,
  /** Median seconds to come back to the list from a dataset page. */
  backToListSeconds: 4,
  /** Median seconds from the last add-to-cart to the order, and from the order to its payment. */
  checkoutSeconds: 40,
  paymentSeconds: 60,
  /**
   * A reaction ends this long after the answer: the API refuses beacon times more than 5 minutes
   * ahead, and the simulator may send the tail of a reaction early when it stops.
   */
  maxReactionMs: 240_000,
} as const;

/** Chance that the item at a 0-based position is looked at: 1, 0.63, 0.5, 0.43, ... (DCG's discount). */
export const examineProbability = (position: number): number => 1 / Math.log2(position + 2);

export interface ServedAnswer {
  readonly requestId: string;
  readonly servedAt: Date;
  readonly items: readonly { readonly itemId: DatasetId; readonly position: number }[];
}

export interface Shopper {
  readonly id: UserId;
  readonly industry: string;
  readonly interests: Interests;
  /** Not favourited again. */
  readonly favorites: ReadonlySet<DatasetId>;
  /** Bought before: downloaded again, never carted. */
  readonly owned: ReadonlySet<DatasetId>;
}

export interface ReactionEvent {
  readonly action: BeaconAction;
  readonly datasetId: DatasetId;
  /** Position of the dataset in the answer. */
  readonly position: number;
  readonly at: Date;
}

export interface Reaction {
  /** The beacons the storefront sends, in time order; none when the client is broken. */
  readonly events: readonly ReactionEvent[];
  /** Events the person caused that a broken client did not send. */
  readonly suppressed: number;
  /** Items looked at. */
  readonly examined: number;
  /** Datasets favourited (the person's state, whether or not the client reported it). */
  readonly favorited: readonly DatasetId[];
  /** The checkout that followed the add-to-carts (written by the shop, so a broken client does not lose it). */
  readonly order: OrderPlan | null;
}

export type DatasetLookup = (id: DatasetId) => CatalogueEntry | undefined;

export function reactToAnswer(rng: Rng, shopper: Shopper, answer: ServedAnswer, lookup: DatasetLookup, effects: AnswerEffects): Reaction {
  const visit = new ReactionBuilder(rng, shopper, answer.servedAt.getTime(), effects.lift);
  let examined = 0;
  for (const item of [...answer.items].sort((a, b) => a.position - b.position)) {
    visit.wait(examined === 0 ? REACTION.firstLookSeconds : REACTION.nextLookSeconds, 0.5, 0.3, 20);
    if (visit.over()) break;
    if (!rng.chance(examineProbability(item.position))) continue;
    examined++;
    const entry = lookup(item.itemId);
    visit.look(item.itemId, item.position, entry, entry ? matchItem(shopper.interests, shopper.industry, entry) : UNKNOWN_ITEM_MATCH);
  }
  const events = visit.events;
  return {
    events: effects.suppressed ? [] : events,
    suppressed: effects.suppressed ? events.length : 0,
    examined,
    favorited: events.filter((event) => event.action === BeaconAction.Favorite).map((event) => event.datasetId),
    order: visit.checkout(),
  };
}

class ReactionBuilder {
  readonly events: ReactionEvent[] = [];
  private readonly favorites: Set<DatasetId>;
  private readonly cart: OrderItemPlan[] = [];
  private readonly buyer: number;
  private readonly deadline: number;
  private now: number;
  private lastCartAt = 0;

  constructor(
    private readonly rng: Rng,
    private readonly shopper: Shopper,
    servedAt: number,
    private readonly lift: number,
  ) {
    this.favorites = new Set(shopper.favorites);
    this.buyer = buyerPropensity(shopper.interests);
    this.now = servedAt;
    this.deadline = servedAt + REACTION.maxReactionMs;
  }

  over(): boolean {
    return this.now > this.deadline;
  }

  /** Advances the reaction's clock by a log-normal delay (median and clamp in seconds). */
  wait(medianSeconds: number, sigma: number, minSeconds: number, maxSeconds: number): void {
    const seconds = Math.min(maxSeconds, Math.max(minSeconds, this.rng.logNormal(medianSeconds, sigma)));
    this.now += Math.round(seconds * MS_PER_SECOND);
  }

  look(datasetId: DatasetId, position: number, entry: CatalogueEntry | undefined, match: ItemMatch): void {
    if (!this.rng.chance(Math.min(1, REACTION.clickAtFullAffinity * match.affinity * this.lift))) return;
    this.emit(BeaconAction.Click, datasetId, position);
    this.wait(0.8, 0.4, 0.2, 3);
    this.emit(BeaconAction.View, datasetId, position);
    if (entry) this.onPage(entry, position, match);
    this.wait(REACTION.backToListSeconds, 0.5, 1, 30);
  }

  /** What the organic funnel does on a dataset page (session.ts `engage`), scaled by the relevance. */
  private onPage(entry: CatalogueEntry, position: number, match: ItemMatch): void {
    const { id, priceCents } = entry.dataset;
    const free = priceCents === 0;
    const owned = this.shopper.owned.has(id);
    const act = (action: BeaconAction): void => {
      this.wait(REACTION.pageActionSeconds, 0.6, 1, 120);
      this.emit(action, id, position);
    };
    if (free || owned) {
      const perView = free ? FUNNEL.downloadFreePerView : FUNNEL.redownloadOwnedPerView;
      if (this.rng.chance(Math.min(1, perView * match.relevance * this.lift))) act(BeaconAction.Download);
    }
    if (!this.favorites.has(id) && this.rng.chance(FUNNEL.favoritePerView * this.buyer * match.relevance)) {
      this.favorites.add(id);
      act(BeaconAction.Favorite);
    }
    if (free || owned || this.cart.some((item) => item.datasetId === id)) return;
    const boost = this.favorites.has(id) ? FUNNEL.favoritedCartBoost : 1;
    if (this.rng.chance(FUNNEL.cartPerView * this.buyer * boost * match.priceFactor * match.relevance)) {
      act(BeaconAction.Cart);
      if (this.over()) return;
      this.cart.push({ ...productOf(entry), quantity: this.rng.chance(0.93) ? 1 : this.rng.intBetween(2, 3) });
      this.lastCartAt = this.now;
    }
  }

  private emit(action: BeaconAction, datasetId: DatasetId, position: number): void {
    if (this.over()) return;
    this.events.push({ action, datasetId, position, at: new Date(this.now) });
  }

  /** The organic checkout (session.ts `checkout`): pay, cancel or leave the order pending. */
  checkout(): OrderPlan | null {
    if (this.cart.length === 0 || !this.rng.chance(Math.min(0.95, FUNNEL.checkoutPerCart * Math.sqrt(this.buyer)))) return null;
    this.now = this.lastCartAt;
    this.wait(REACTION.checkoutSeconds, 0.6, 5, 300);
    const createdAt = new Date(this.now);
    const items = this.cart.splice(0);
    const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const base = { userId: this.shopper.id, items, totalCents, createdAt };
    const roll = this.rng.next();
    if (roll >= FUNNEL.paidPerCheckout + FUNNEL.cancelledPerCheckout) {
      return { ...base, status: OrderStatus.Pending, paidAt: null, settledAt: createdAt };
    }
    this.wait(REACTION.paymentSeconds, 0.7, 10, 600);
    const settledAt = new Date(this.now);
    if (roll >= FUNNEL.paidPerCheckout) return { ...base, status: OrderStatus.Cancelled, paidAt: null, settledAt };
    return { ...base, status: OrderStatus.Paid, paidAt: settledAt, settledAt };
  }
}
