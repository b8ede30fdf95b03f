import type { EventAction, Page } from './matomo.js';
import type { OrderStatus, DatasetId, UserId } from './types.js';
import type { VisitorProfile } from './visitor.js';
import type { RefererType } from './vocab/web.js';

/** What Matomo knew about a visitor before this visit (drives visitor_returning & co). */
export interface VisitorHistory {
  readonly visitCount: number;
  readonly firstVisitAt: Date | null;
  readonly lastVisitAt: Date | null;
  readonly lastOrderAt: Date | null;
}

export const NO_HISTORY: VisitorHistory = { visitCount: 0, firstVisitAt: null, lastVisitAt: null, lastOrderAt: null };

export interface Referrer {
  readonly type: RefererType;
  readonly name: string | null;
  readonly url: string | null;
  readonly keyword: string | null;
}

/** The ecommerce product a dataset page shows (Matomo's setEcommerceView / order items). */
export interface ProductInfo {
  readonly datasetId: DatasetId;
  readonly name: string;
  readonly category: string;
  readonly priceCents: number;
}

export interface PageviewStep {
  readonly kind: 'pageview';
  readonly at: Date;
  readonly page: Page;
  /** Matomo's 6-character pageview id (idpageview); events on the page share it. */
  readonly pageviewId: string;
  readonly product: ProductInfo | null;
  /** Set on the checkout page: the order (index into `orders`) placed there. */
  readonly orderIndex: number | null;
}

export interface EventStep {
  readonly kind: 'event';
  readonly at: Date;
  readonly page: Page;
  readonly pageviewId: string;
  readonly action: EventAction;
  readonly datasetId: DatasetId;
  /** Matomo event value (custom_float): the price for add_to_cart. */
  readonly value: number | null;
}

/** The payment outcome of an order placed earlier in the visit: paid or cancelled. */
export interface PaymentStep {
  readonly kind: 'payment';
  readonly at: Date;
  readonly orderIndex: number;
}

export type SessionStep = PageviewStep | EventStep | PaymentStep;

export interface OrderItemPlan extends ProductInfo {
  readonly quantity: number;
}

export interface OrderPlan {
  readonly userId: UserId;
  readonly items: readonly OrderItemPlan[];
  readonly totalCents: number;
  readonly createdAt: Date;
  /** The state at the end of the history window (refunds may come days after the visit). */
  readonly status: OrderStatus;
  readonly paidAt: Date | null;
  /** When the order reached its final status (updated_at). */
  readonly settledAt: Date;
}

/** One Matomo visit and everything it causes in the shop. */
export interface SessionRecord {
  readonly key: string;
  readonly visitor: VisitorProfile;
  /** Logged-in account (matomo user_id); null for anonymous browsing. */
  readonly userId: UserId | null;
  readonly startAt: Date;
  readonly referrer: Referrer;
  readonly history: VisitorHistory;
  readonly steps: readonly SessionStep[];
  readonly orders: readonly OrderPlan[];
}

export const lastStepAt = (session: SessionRecord): Date => session.steps.at(-1)?.at ?? session.startAt;

/** Matomo history of the visitor after this visit (input to its next visit). */
export function historyAfter(session: SessionRecord): VisitorHistory {
  const paid = session.orders.filter((order) => order.paidAt !== null);
  const lastPaid = paid.at(-1)?.paidAt ?? null;
  return {
    visitCount: session.history.visitCount + 1,
    firstVisitAt: session.history.firstVisitAt ?? session.startAt,
    lastVisitAt: lastStepAt(session),
    lastOrderAt: lastPaid ?? session.history.lastOrderAt,
  };
}
