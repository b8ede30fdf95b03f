import { ErrorCode, isAppError, type AppError } from '@streamrec/foundation';
import type { Dataset } from './domain/catalogue.js';
import { DueQueue } from './domain/due-queue.js';
import type { OrderPlan } from './domain/session-model.js';
import type { TrafficTally } from './domain/traffic-tally.js';
import { OrderStatus, type DatasetId } from './domain/types.js';
import type { BeaconEvent, StorefrontApi, TrafficStore } from './traffic-ports.js';
import type { Clock } from './trickle.js';

const MAX_EVENTS_IN_FLIGHT = 64;
const MAX_EVENT_ATTEMPTS = 4;
const MAX_RETRY_WAIT_MS = 5_000;
/** Wait before retrying a beacon that timed out or got a 5xx (a 429 says how long itself). */
const RETRY_WAIT_MS = 1_000;
/** This many requests in a row without a connection: the API is gone, stop. */
const UNREACHABLE_IN_A_ROW = 20;

/**
 * Failures that end a run: a key the API refuses (nothing will work until it changes) or an API that
 * stopped answering. Everything else is counted by code and the run goes on.
 */
export class RunHealth {
  fatal: AppError | null = null;
  private unreachableInARow = 0;

  /** The error's code for the tally; remembers the first fatal one. */
  classify(error: unknown): string {
    if (!isAppError(error)) return ErrorCode.Internal;
    if (error.code === ErrorCode.Unauthorized || error.code === ErrorCode.Forbidden) this.fatal ??= error;
    return error.code;
  }

  requestFailed(error: unknown): string {
    const code = this.classify(error);
    if (isAppError(error) && error.details?.['unreachable'] === true) {
      if (++this.unreachableInARow >= UNREACHABLE_IN_A_ROW) this.fatal ??= error;
    }
    return code;
  }

  requestAnswered(): void {
    this.unreachableInARow = 0;
  }
}

type Job =
  | { readonly kind: 'event'; readonly event: BeaconEvent; readonly variant: string }
  | { readonly kind: 'order'; readonly order: OrderPlan }
  | { readonly kind: 'settle'; readonly orderId: number; readonly order: OrderPlan };

/**
 * What the simulated users have planned, done when it is due: beacons (bounded in flight, retried
 * with the same event_id after a 429, a timeout or a 5xx, as the API asks a storefront to do) and order
 * writes, which go through the store one at a time (one MariaDB connection) together with catalogue look-ups.
 */
export class PlannedWork {
  private readonly queue = new DueQueue<Job>();
  private readonly running = new Set<Promise<void>>();
  private eventsInFlight = 0;
  private database: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: TrafficStore,
    private readonly api: StorefrontApi,
    private readonly clock: Clock,
    private readonly tally: TrafficTally,
    private readonly health: RunHealth,
    private readonly signal: AbortSignal,
    private readonly onPaid: (order: OrderPlan) => void,
  ) {}

  /** Jobs not started yet. */
  get scheduled(): number {
    return this.queue.size;
  }

  nextAt(): number | undefined {
    return this.queue.nextAt();
  }

  planEvent(event: BeaconEvent, variant: string): void {
    this.queue.push(event.eventTime, { kind: 'event', event, variant });
  }

  planOrder(order: OrderPlan): void {
    this.queue.push(order.createdAt.getTime(), { kind: 'order', order });
  }

  /** Datasets the simulator did not load (listed since it started), through the same connection. */
  findDatasets(ids: readonly DatasetId[]): Promise<Dataset[]> {
    return this.serially(() => this.store.findDatasets(ids));
  }

  /** Starts every job due by `now`; beacons only up to the in-flight bound. */
  dispatch(now: number): void {
    while (this.eventsInFlight < MAX_EVENTS_IN_FLIGHT) {
      const job = this.queue.popDue(now);
      if (!job) return;
      if (job.kind === 'event') this.track(this.send(job.event, job.variant));
      else if (job.kind === 'order') this.track(this.writeOrder(job.order));
      else this.track(this.settle(job.orderId, job.order));
    }
  }

  /** Does everything still planned now, whatever its time, and waits for it (stops early on a fatal error). */
  async drain(): Promise<void> {
    while ((this.running.size > 0 || this.queue.size > 0) && this.health.fatal === null) {
      this.dispatch(Infinity);
      if (this.running.size > 0) await Promise.race(this.running);
    }
    await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.database.then(work, work);
    this.database = next.catch(() => undefined);
    return next;
  }

  private async send(event: BeaconEvent, variant: string): Promise<void> {
    this.eventsInFlight++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.api.sendEvent(event);
          this.tally.eventSent(event.action, variant);
          return;
        } catch (error) {
          // Retriable: a 429, a timeout, a 5xx or no connection; a retried event_id is deduplicated downstream.
          if (!isAppError(error) || !error.retriable || attempt >= MAX_EVENT_ATTEMPTS || this.signal.aborted) {
            this.tally.eventFailed(this.health.classify(error));
            return;
          }
          this.tally.error(error.code);
          const retryAfterMs = Number(error.details?.['retryAfterMs'] ?? RETRY_WAIT_MS * attempt);
          await this.clock.sleep(Math.min(MAX_RETRY_WAIT_MS, retryAfterMs), this.signal);
        }
      }
    } finally {
      this.eventsInFlight--;
    }
  }

  private async writeOrder(order: OrderPlan): Promise<void> {
    try {
      const orderId = await this.serially(() => this.store.placeOrder(order));
      this.tally.orderWritten();
      if (order.status === OrderStatus.Pending) this.tally.orderSettled(OrderStatus.Pending);
      else this.queue.push(order.settledAt.getTime(), { kind: 'settle', orderId, order });
    } catch (error) {
      this.tally.orderFailed(this.health.classify(error));
    }
  }

  private async settle(orderId: number, order: OrderPlan): Promise<void> {
    try {
      await this.serially(() => this.store.settleOrder(orderId, order));
      this.tally.orderSettled(order.status);
      if (order.status === OrderStatus.Paid) this.onPaid(order);
    } catch (error) {
      this.tally.orderFailed(this.health.classify(error));
    }
  }
}
