import { describe, expect, it } from 'vitest';
import { retimeStep } from './retime.js';
import { buildTestWorld } from './test-world.js';

const world = buildTestWorld(21, { datasets: 300, users: 200, days: 7, anonymousVisitsPerDay: 10 });
const session = world.sessions.find((s) => s.orders.some((o) => o.paidAt !== null))!;

describe('retimeStep', () => {
  it('stamps one step and moves the visit start with the first', () => {
    const at = new Date('2030-01-01T00:00:00Z');
    const first = retimeStep(session, 0, at);
    expect(first.steps[0]!.at).toEqual(at);
    expect(first.startAt).toEqual(at);
    expect(first.steps[1]).toBe(session.steps[1]);
    expect(session.steps[0]!.at).not.toEqual(at);
  });

  it('moves the order placement and payment with their steps', () => {
    const checkout = session.steps.findIndex((s) => s.kind === 'pageview' && s.orderIndex !== null);
    const payment = session.steps.findIndex((s) => s.kind === 'payment');
    const placedAt = new Date('2030-01-01T00:10:00Z');
    const paidAt = new Date('2030-01-01T00:11:00Z');
    const retimed = retimeStep(retimeStep(session, checkout, placedAt), payment, paidAt);
    const order = retimed.orders[0]!;
    expect(order.createdAt).toEqual(placedAt);
    expect(order.paidAt).toEqual(paidAt);
    expect(order.settledAt).toEqual(paidAt);
  });
});
