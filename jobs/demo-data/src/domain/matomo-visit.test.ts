import { describe, expect, it } from 'vitest';
import { actionKeysOf, conversionsOf, linkActionsOf } from './matomo-actions.js';
import { ActionType, BuyerType, actionKeyId } from './matomo.js';
import { summariseVisit } from './matomo-visit.js';
import { buildTestWorld } from './test-world.js';

const world = buildTestWorld(5, { datasets: 300, users: 200, days: 7, anonymousVisitsPerDay: 40 });
const withOrder = world.sessions.find((s) => s.orders.some((o) => o.paidAt !== null));

describe('summariseVisit', () => {
  it('counts pageviews and events and marks a paying visit as converted', () => {
    expect(withOrder).toBeDefined();
    const session = withOrder!;
    const summary = summariseVisit(session);
    const pageviews = session.steps.filter((s) => s.kind === 'pageview').length;
    const events = session.steps.filter((s) => s.kind === 'event').length;
    expect(summary.totalPageviews).toBe(pageviews);
    expect(summary.totalEvents).toBe(events);
    expect(summary.totalActions).toBe(pageviews + events);
    expect(summary.goalConverted).toBe(true);
    expect([BuyerType.Ordered, BuyerType.OrderedAndOpenCart]).toContain(summary.buyer);
    expect(summary.totalTimeSeconds).toBeGreaterThan(0);
    expect(summary.localTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it('describes a visit in progress from its first steps only', () => {
    const session = withOrder!;
    const early = summariseVisit(session, 1);
    expect(early.totalActions).toBe(1);
    expect(early.goalConverted).toBe(false);
    expect(early.lastActionAt).toEqual(session.steps[0]!.at);
  });

  it('marks returning visitors and counts their visits', () => {
    const returning = world.sessions.find((s) => s.history.visitCount > 0)!;
    const summary = summariseVisit(returning);
    expect(summary.returning).toBeGreaterThan(0);
    expect(summary.countVisits).toBe(returning.history.visitCount + 1);
    expect(summariseVisit(world.sessions.find((s) => s.history.visitCount === 0)!).returning).toBe(0);
  });
});

describe('link actions and conversions', () => {
  it('chains each action to the previous one and knows time spent only once the next action exists', () => {
    const session = withOrder!;
    const plans = linkActionsOf(session);
    expect(plans.length).toBe(session.steps.filter((s) => s.kind !== 'payment').length);
    expect(plans[0]!.urlRef).toBeNull();
    expect(plans[1]!.urlRef).toEqual(plans[0]!.url);
    expect(plans.filter((p) => p.pageviewPosition !== null).map((p) => p.pageviewPosition)).toEqual(
      plans.filter((p) => p.pageviewPosition !== null).map((_, i) => i + 1),
    );
    const partial = linkActionsOf(session, 1);
    expect(partial[0]!.timeSpent).toBeNull();
    expect(plans[0]!.timeSpent).not.toBeNull();
  });

  it('records events with category dataset, the action, and the dataset id as name', () => {
    const plan = world.sessions.flatMap((s) => linkActionsOf(s)).find((p) => p.eventAction !== null)!;
    expect(plan.eventCategory).toEqual({ type: ActionType.EventCategory, name: 'dataset', urlPrefix: null });
    expect(['click', 'download', 'favorite', 'add_to_cart']).toContain(plan.eventAction!.name);
    expect(plan.name.type).toBe(ActionType.EventName);
    expect(plan.name.name).toMatch(/^\d+$/);
  });

  it('turns a paid order into an ecommerce conversion with SKU items DS-{id}', () => {
    const session = withOrder!;
    const [conversion] = conversionsOf(session);
    const order = session.orders[conversion!.orderIndex]!;
    expect(conversion!.revenue).toBeCloseTo(order.totalCents / 100, 2);
    expect(conversion!.items.map((item) => item.sku.name)).toEqual(order.items.map((item) => `DS-${item.datasetId}`));
    expect(conversion!.items.every((item) => item.sku.type === ActionType.EcommerceItemSku)).toBe(true);
    expect(session.steps[conversion!.checkoutStepIndex]!.kind).toBe('pageview');
  });

  it('lists each log_action a visit needs exactly once', () => {
    const keys = actionKeysOf(withOrder!);
    expect(new Set(keys.map(actionKeyId)).size).toBe(keys.length);
    expect(keys.some((key) => key.type === ActionType.PageUrl && key.urlPrefix === 2)).toBe(true);
    expect(keys.some((key) => key.type === ActionType.PageTitle)).toBe(true);
  });
});
