import type { BeaconAction } from './reaction.js';
import type { RunSummary } from './tally.js';
import { OrderStatus } from './types.js';

/** Variant key of answers served outside every experiment. */
export const NO_VARIANT = 'none';

/** What a traffic run did: the JSON summary on stdout (`tables` as bulk and trickle report it). */
export interface TrafficSummary {
  readonly requests: { readonly sent: number; readonly answered: number; readonly empty: number; readonly failed: number };
  /** Answers per experiment variant name (`none` outside every experiment). */
  readonly answersByVariant: Readonly<Record<string, number>>;
  readonly itemsShown: number;
  readonly events: {
    readonly sent: number;
    /** Caused by users whose client the run made broken (`--drop-variant`): never sent. */
    readonly suppressed: number;
    readonly failed: number;
    readonly byAction: Readonly<Record<BeaconAction, number>>;
    /** Events sent, by the variant of the answer they react to. */
    readonly byVariant: Readonly<Record<string, number>>;
  };
  readonly orders: {
    /** Checkouts the users made; written only with orders on (`--no-orders` leaves them out). */
    readonly planned: number;
    readonly written: number;
    readonly paid: number;
    readonly cancelled: number;
    readonly pending: number;
    readonly failed: number;
  };
  /** Failures by error code (REC_*), requests, events and orders together. */
  readonly errors: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  readonly tables: RunSummary['tables'];
}

const zeroActions = (): Record<BeaconAction, number> => ({ view: 0, click: 0, download: 0, favorite: 0, cart: 0 });

/** Counters of a traffic run; `summary` is a snapshot. */
export class TrafficTally {
  private readonly requests = { sent: 0, answered: 0, empty: 0, failed: 0 };
  private readonly answersByVariant: Record<string, number> = {};
  private itemsShown = 0;
  private readonly events = { sent: 0, suppressed: 0, failed: 0 };
  private readonly byAction = zeroActions();
  private readonly eventsByVariant: Record<string, number> = {};
  private readonly orders = { planned: 0, written: 0, paid: 0, cancelled: 0, pending: 0, failed: 0 };
  private readonly errors: Record<string, number> = {};

  get requestsSent(): number {
    return this.requests.sent;
  }

  get answered(): number {
    return this.requests.answered;
  }

  get eventsSent(): number {
    return this.events.sent;
  }

  get ordersWritten(): number {
    return this.orders.written;
  }

  get failures(): number {
    return Object.values(this.errors).reduce((sum, count) => sum + count, 0);
  }

  requestSent(): void {
    this.requests.sent++;
  }

  answer(variant: string, items: number): void {
    this.requests.answered++;
    if (items === 0) this.requests.empty++;
    this.answersByVariant[variant] = (this.answersByVariant[variant] ?? 0) + 1;
    this.itemsShown += items;
  }

  requestFailed(code: string): void {
    this.requests.failed++;
    this.error(code);
  }

  eventSent(action: BeaconAction, variant: string): void {
    this.events.sent++;
    this.byAction[action]++;
    this.eventsByVariant[variant] = (this.eventsByVariant[variant] ?? 0) + 1;
  }

  eventsSuppressed(count: number): void {
    this.events.suppressed += count;
  }

  eventFailed(code: string): void {
    this.events.failed++;
    this.error(code);
  }

  orderPlanned(): void {
    this.orders.planned++;
  }

  orderWritten(): void {
    this.orders.written++;
  }

  /** The order's final state is in the shop (pending orders count when placed). */
  orderSettled(status: OrderStatus): void {
    if (status === OrderStatus.Paid) this.orders.paid++;
    else if (status === OrderStatus.Cancelled) this.orders.cancelled++;
    else if (status === OrderStatus.Pending) this.orders.pending++;
  }

  orderFailed(code: string): void {
    this.orders.failed++;
    this.error(code);
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  summary(tables: RunSummary['tables'], elapsedMs: number): TrafficSummary {
    return {
      requests: { ...this.requests },
      answersByVariant: { ...this.answersByVariant },
      itemsShown: this.itemsShown,
      events: { ...this.events, byAction: { ...this.byAction }, byVariant: { ...this.eventsByVariant } },
      orders: { ...this.orders },
      errors: { ...this.errors },
      elapsedMs,
      tables,
    };
  }
}
