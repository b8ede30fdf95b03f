import { describe, expect, it } from 'vitest';
import { toHex } from './hash.js';
import { EventAction } from './matomo.js';
import { FUNNEL } from './session.js';
import type { SessionRecord } from './session-model.js';
import { buildTestWorld } from './test-world.js';
import { OrderStatus } from './types.js';

const SIZE = { datasets: 600, users: 600, days: 14, anonymousVisitsPerDay: 60 };
const world = buildTestWorld(11, SIZE);

const events = (sessions: readonly SessionRecord[], action: string): number =>
  sessions.flatMap((s) => s.steps).filter((step) => step.kind === 'event' && step.action === action).length;

describe('generateHistory', () => {
  it('is deterministic: the same seed yields the same rows', () => {
    const again = buildTestWorld(11, SIZE);
    expect(again.sessions.length).toBe(world.sessions.length);
    expect(again.sessions.slice(0, 50)).toEqual(world.sessions.slice(0, 50));
    expect(again.sessions.at(-1)).toEqual(world.sessions.at(-1));
    expect(buildTestWorld(12, { ...SIZE, days: 2 }).sessions.slice(0, 20)).not.toEqual(world.sessions.slice(0, 20));
  });

  it('keeps every action inside the window, in time order within each visit', () => {
    for (const session of world.sessions) {
      expect(session.startAt >= world.window.start).toBe(true);
      const times = session.steps.map((step) => step.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)! < world.window.end.getTime()).toBe(true);
    }
  });

  it('has a long tail: the top 10% of datasets draw most views, the median dataset few', () => {
    const views = new Map<number, number>();
    for (const step of world.sessions.flatMap((s) => s.steps)) {
      if (step.kind === 'pageview' && step.page.datasetId !== null) {
        views.set(step.page.datasetId, (views.get(step.page.datasetId) ?? 0) + 1);
      }
    }
    const counts = world.catalogue.listed().map((entry) => views.get(entry.dataset.id) ?? 0).sort((a, b) => b - a);
    const total = counts.reduce((sum, c) => sum + c, 0);
    const top10 = counts.slice(0, Math.ceil(counts.length / 10)).reduce((sum, c) => sum + c, 0);
    expect(top10 / total).toBeGreaterThan(0.45);
    const mean = total / counts.length;
    expect(counts[Math.floor(counts.length / 2)]!).toBeLessThan(mean / 2);
    expect(counts[0]!).toBeGreaterThan(20 * mean);
  });

  it('buys related datasets together: items of one order share a cluster far more often than chance', () => {
    let pairs = 0;
    let sameCluster = 0;
    const clusterShare = new Map<string, number>();
    const bought = world.sessions.flatMap((s) => s.orders).flatMap((order) => order.items);
    for (const item of bought) {
      const key = world.catalogue.get(item.datasetId)?.clusterKey ?? '-';
      clusterShare.set(key, (clusterShare.get(key) ?? 0) + 1 / bought.length);
    }
    for (const order of world.sessions.flatMap((s) => s.orders)) {
      const clusters = order.items.map((item) => world.catalogue.get(item.datasetId)?.clusterKey);
      for (let i = 0; i < clusters.length; i++) {
        for (let j = i + 1; j < clusters.length; j++) {
          pairs++;
          if (clusters[i] === clusters[j]) sameCluster++;
        }
      }
    }
    const chance = [...clusterShare.values()].reduce((sum, share) => sum + share * share, 0);
    expect(pairs).toBeGreaterThan(50);
    expect(sameCluster / pairs).toBeGreaterThan(0.5);
    expect(sameCluster / pairs).toBeGreaterThan(5 * chance);
  });

  it('follows a plausible funnel: views > favourites and carts > purchases', () => {
    const loggedIn = world.sessions.filter((s) => s.userId !== null);
    const views = loggedIn.flatMap((s) => s.steps).filter((step) => step.kind === 'pageview' && step.page.datasetId !== null).length;
    const favorites = events(loggedIn, EventAction.Favorite);
    const carts = events(loggedIn, EventAction.AddToCart);
    const orders = loggedIn.flatMap((s) => s.orders);
    const purchasedItems = orders.filter((o) => o.paidAt !== null).flatMap((o) => o.items).length;
    expect(favorites / views).toBeGreaterThan(0.02);
    expect(favorites / views).toBeLessThan(0.15);
    expect(carts / views).toBeGreaterThan(0.03);
    expect(carts / views).toBeLessThan(0.15);
    const cartToPurchase = purchasedItems / carts;
    expect(cartToPurchase).toBeGreaterThan(0.3);
    expect(cartToPurchase).toBeLessThan(0.8);
    const paid = orders.filter((o) => o.paidAt !== null).length;
    expect(paid / orders.length).toBeGreaterThan(FUNNEL.paidPerCheckout - 0.1);
  });

  it('ends some orders refunded, cancelled or pending, and never shows anonymous visitors buying', () => {
    const orders = world.sessions.flatMap((s) => s.orders);
    const statuses = new Set(orders.map((o) => o.status));
    for (const status of Object.values(OrderStatus)) expect(statuses.has(status), status).toBe(true);
    const anonymous = world.sessions.filter((s) => s.userId === null);
    expect(anonymous.length).toBeGreaterThan(100);
    expect(anonymous.flatMap((s) => s.orders)).toEqual([]);
    expect(events(anonymous, EventAction.AddToCart) + events(anonymous, EventAction.Favorite)).toBe(0);
  });

  it('has visitors who browse anonymously and later log in with the same idvisitor', () => {
    const firstAnonymous = new Map<string, Date>();
    const stitched = new Set<string>();
    for (const session of world.sessions) {
      const idvisitor = toHex(session.visitor.idvisitor);
      if (session.userId === null) {
        if (!firstAnonymous.has(idvisitor)) firstAnonymous.set(idvisitor, session.startAt);
      } else if ((firstAnonymous.get(idvisitor) ?? session.startAt) < session.startAt) {
        stitched.add(idvisitor);
      }
    }
    expect(stitched.size).toBeGreaterThan(10);
    const signedUpInWindow = world.users.filter((u) => u.createdAt >= world.window.start);
    expect(signedUpInWindow.length).toBeGreaterThan(50);
  });

  it('counts returning visits per idvisitor the way Matomo does', () => {
    const seen = new Map<string, number>();
    for (const session of world.sessions) {
      const idvisitor = toHex(session.visitor.idvisitor);
      expect(session.history.visitCount).toBe(seen.get(idvisitor) ?? 0);
      seen.set(idvisitor, (seen.get(idvisitor) ?? 0) + 1);
    }
  });
});
