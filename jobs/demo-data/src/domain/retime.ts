import type { SessionRecord } from './session-model.js';
import { OrderStatus } from './types.js';

/**
 * A live (trickle) visit happens at wall-clock time, not at the planned times: stamp step
 * `index` with `at`, and move what depends on it (visit start, order placed / settled).
 */
export function retimeStep(session: SessionRecord, index: number, at: Date): SessionRecord {
  const step = session.steps[index];
  if (!step) return session;
  const steps = session.steps.map((candidate, i) => (i === index ? { ...candidate, at } : candidate));
  const orders = session.orders.map((order, orderIndex) => {
    if (step.kind === 'pageview' && step.orderIndex === orderIndex) {
      return { ...order, createdAt: at, settledAt: order.status === OrderStatus.Pending ? at : order.settledAt };
    }
    if (step.kind === 'payment' && step.orderIndex === orderIndex) {
      return { ...order, paidAt: order.paidAt === null ? null : at, settledAt: at };
    }
    return order;
  });
  return { ...session, startAt: index === 0 ? at : session.startAt, steps, orders };
}
