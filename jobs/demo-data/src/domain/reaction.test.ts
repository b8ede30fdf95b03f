import { describe, expect, it } from 'vitest';
import { AFFINITY } from './affinity.js';
import type { CatalogueEntry } from './catalogue-index.js';
import { NEUTRAL_EFFECTS, type AnswerEffects } from './planted-effects.js';
import { datasetIn, lookupOf, shopper } from './reaction-fixtures.js';
import { BeaconAction, REACTION, examineProbability, reactToAnswer, type Reaction, type Shopper } from './reaction.js';
import { Rng } from './rng.js';
import { OrderStatus, asDatasetId } from './types.js';

const servedAt = new Date('2025-03-01T12:00:00Z');
const answerOf = (entries: readonly CatalogueEntry[], requestId = 'req-1') => ({
  requestId,
  servedAt,
  items: entries.map((entry, position) => ({ itemId: entry.dataset.id, position })),
});

/** Reactions to the same answer under `trials` seeds. */
function react(entries: readonly CatalogueEntry[], trials: number, effects: AnswerEffects = NEUTRAL_EFFECTS, who: Shopper = shopper()): Reaction[] {
  const lookup = lookupOf(entries);
  return Array.from({ length: trials }, (_, i) => reactToAnswer(new Rng(`test/${i}`), who, answerOf(entries), lookup, effects));
}

const count = (reactions: readonly Reaction[], action: string, where: (position: number) => boolean = () => true): number =>
  reactions.reduce((sum, reaction) => sum + reaction.events.filter((event) => event.action === action && where(event.position)).length, 0);

const primary = Array.from({ length: 10 }, (_, i) => datasetIn(100 + i, 'equities', 'daily', 9_900));
const unrelated = Array.from({ length: 10 }, (_, i) => datasetIn(200 + i, 'pharma', 'monthly', 9_900));

describe('reactToAnswer', () => {
  it('looks at top positions more: clicks on equally good items fall off as 1/log2(position + 2)', () => {
    const trials = 6_000;
    const reactions = react(primary, trials);
    for (const position of [0, 1, 3, 9]) {
      const rate = count(reactions, BeaconAction.Click, (p) => p === position) / trials;
      expect(rate).toBeCloseTo(REACTION.clickAtFullAffinity * examineProbability(position), 1);
    }
    expect(count(reactions, BeaconAction.Click, (p) => p === 0)).toBeGreaterThan(2.5 * count(reactions, BeaconAction.Click, (p) => p === 9));
    expect(examineProbability(0)).toBe(1);
    expect(examineProbability(2)).toBe(0.5);
  });

  it('clicks what matches the latent interests far more than unrelated datasets', () => {
    const mixed = primary.slice(0, 5).flatMap((entry, i) => [entry, unrelated[i] as CatalogueEntry]);
    const reactions = react(mixed, 4_000);
    const onPrimary = count(reactions, BeaconAction.Click, (p) => p % 2 === 0);
    const onUnrelated = count(reactions, BeaconAction.Click, (p) => p % 2 === 1);
    // Affinity 1 against 0.05 × 0.7 (other grain): about 28 times, minus the position gap.
    expect(onPrimary).toBeGreaterThan(15 * onUnrelated);
    expect(onUnrelated).toBeGreaterThan(0);
  });

  it('a lift multiplies the click and download probabilities, and nothing else', () => {
    const free = Array.from({ length: 10 }, (_, i) => datasetIn(300 + i, 'equities', 'daily', 0));
    const base = react(free, 4_000);
    const lifted = react(free, 4_000, { lift: 2, suppressed: false });
    const ratio = (action: string): number => count(lifted, action) / count(base, action);
    expect(ratio(BeaconAction.Click)).toBeGreaterThan(1.8);
    expect(ratio(BeaconAction.Click)).toBeLessThan(2.2);
    // Per opened page: downloads doubled, favourites unchanged.
    const perView = (reactions: Reaction[], action: string): number => count(reactions, action) / count(reactions, BeaconAction.View);
    expect(perView(lifted, BeaconAction.Download) / perView(base, BeaconAction.Download)).toBeCloseTo(2, 0);
    expect(perView(lifted, BeaconAction.Favorite) / perView(base, BeaconAction.Favorite)).toBeGreaterThan(0.8);
    expect(perView(lifted, BeaconAction.Favorite) / perView(base, BeaconAction.Favorite)).toBeLessThan(1.25);
  });

  it("a broken client sends nothing, though the person acts the same and the shop still gets the order", () => {
    const paid = Array.from({ length: 10 }, (_, i) => datasetIn(400 + i, 'equities', 'daily', 19_900));
    for (let i = 0; i < 200; i++) {
      const working = reactToAnswer(new Rng(`drop/${i}`), shopper(), answerOf(paid), lookupOf(paid), NEUTRAL_EFFECTS);
      const broken = reactToAnswer(new Rng(`drop/${i}`), shopper(), answerOf(paid), lookupOf(paid), { lift: 1, suppressed: true });
      expect(broken.events).toEqual([]);
      expect(broken.suppressed).toBe(working.events.length);
      expect(broken.order).toEqual(working.order);
      expect(broken.favorited).toEqual(working.favorited);
    }
  });

  it('the same seed gives the same reaction; another seed another one', () => {
    const first = reactToAnswer(new Rng('same'), shopper(), answerOf(primary), lookupOf(primary), NEUTRAL_EFFECTS);
    const again = reactToAnswer(new Rng('same'), shopper(), answerOf(primary), lookupOf(primary), NEUTRAL_EFFECTS);
    expect(again).toEqual(first);
    const others = react(primary, 20).map((reaction) => JSON.stringify(reaction.events));
    expect(new Set(others).size).toBeGreaterThan(10);
  });

  it('events follow the answer in time order within the reaction window, each click followed by its page view', () => {
    for (const reaction of react(primary, 500)) {
      const times = reaction.events.map((event) => event.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const time of times) {
        expect(time).toBeGreaterThan(servedAt.getTime());
        expect(time - servedAt.getTime()).toBeLessThanOrEqual(REACTION.maxReactionMs);
      }
      reaction.events.forEach((event, i) => {
        if (event.action === BeaconAction.Click) expect(reaction.events[i + 1]).toMatchObject({ action: BeaconAction.View, datasetId: event.datasetId });
      });
    }
  });

  it('carts end in orders at about the organic checkout rate, priced from the catalogue, after the last cart', () => {
    const paid = Array.from({ length: 10 }, (_, i) => datasetIn(500 + i, 'equities', 'daily', 19_900));
    const reactions = react(paid, 4_000);
    const withCart = reactions.filter((reaction) => reaction.events.some((event) => event.action === BeaconAction.Cart));
    const orders = reactions.flatMap((reaction) => (reaction.order ? [{ reaction, order: reaction.order }] : []));
    expect(orders.every(({ reaction }) => withCart.includes(reaction))).toBe(true);
    // checkoutPerCart 0.6 × sqrt(buyer factor 1.5) ≈ 0.73
    expect(orders.length / withCart.length).toBeGreaterThan(0.6);
    expect(orders.length / withCart.length).toBeLessThan(0.85);
    for (const { reaction, order } of orders) {
      const lastCart = reaction.events.filter((event) => event.action === BeaconAction.Cart).at(-1);
      expect(order.createdAt.getTime()).toBeGreaterThan(lastCart?.at.getTime() ?? Infinity);
      expect(order.items.every((item) => item.priceCents === 19_900)).toBe(true);
      expect(order.totalCents).toBe(order.items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0));
      expect(order.paidAt === null).toBe(order.status !== OrderStatus.Paid);
    }
    const paidShare = orders.filter(({ order }) => order.status === OrderStatus.Paid).length / orders.length;
    expect(paidShare).toBeGreaterThan(0.78);
    expect(paidShare).toBeLessThan(0.93);
  });

  it('does not favourite twice nor cart what the person owns; an unknown item can be clicked and nothing more', () => {
    const paid = Array.from({ length: 10 }, (_, i) => datasetIn(600 + i, 'equities', 'daily', 19_900));
    const ids = new Set(paid.map((entry) => entry.dataset.id));
    const owner = { ...shopper(), favorites: ids, owned: ids };
    const reactions = react(paid, 2_000, NEUTRAL_EFFECTS, owner);
    expect(count(reactions, BeaconAction.Favorite) + count(reactions, BeaconAction.Cart)).toBe(0);
    expect(count(reactions, BeaconAction.Download)).toBeGreaterThan(0);

    const unknown = { requestId: 'r', servedAt, items: Array.from({ length: 10 }, (_, position) => ({ itemId: asDatasetId(9_000 + position), position })) };
    const blind = Array.from({ length: 3_000 }, (_, i) => reactToAnswer(new Rng(`u/${i}`), shopper(), unknown, () => undefined, NEUTRAL_EFFECTS));
    const actions = new Set(blind.flatMap((reaction) => reaction.events.map((event) => event.action)));
    expect([...actions].sort()).toEqual([BeaconAction.Click, BeaconAction.View]);
    expect(count(blind, BeaconAction.Click) / 3_000).toBeCloseTo(4.54 * REACTION.clickAtFullAffinity * (AFFINITY.unrelated / 1.3), 1);
  });
});
