import type { Dataset } from './domain/catalogue.js';
import type { PlantedEffects } from './domain/planted-effects.js';
import type { User } from './domain/population.js';
import type { BeaconAction } from './domain/reaction.js';
import type { OrderPlan } from './domain/session-model.js';
import type { RunSummary } from './domain/tally.js';
import type { DatasetId, UserId } from './domain/types.js';

/** What a traffic run needs from the outside world: the shop database and the serving API. */
export interface TrafficWorld {
  readonly users: readonly User[];
  /** Listed and unlisted datasets: what the simulator knows of the items the API may show. */
  readonly datasets: readonly Dataset[];
}

/** What a traffic run needs from the shop database; order writes are one transaction each. */
export interface TrafficStore {
  loadTrafficWorld(): Promise<TrafficWorld>;
  findDatasets(ids: readonly DatasetId[]): Promise<Dataset[]>;
  /** Inserts the order as just placed (`pending`) with its items; resolves to its id. */
  placeOrder(order: OrderPlan): Promise<number>;
  /** Moves a placed order to its final status (paid or cancelled). */
  settleOrder(orderId: number, order: OrderPlan): Promise<void>;
  summary(): RunSummary;
}

export interface RecommendationAnswer {
  readonly requestId: string;
  readonly items: readonly { readonly itemId: number; readonly position: number }[];
  readonly experiment: { readonly id: string; readonly variant: string } | null;
}

export interface BeaconEvent {
  readonly eventId: string;
  readonly userId: UserId;
  readonly itemId: DatasetId;
  readonly action: BeaconAction;
  readonly eventTime: number;
  readonly requestId: string;
  readonly sessionId: string;
}

/**
 * The serving API as the storefront uses it. Failures are AppErrors: REC_UNAUTHORIZED / REC_FORBIDDEN
 * (the key), REC_RATE_LIMITED (`details.retryAfterMs`), REC_DEPENDENCY_UNAVAILABLE (`details.unreachable`
 * when no connection could be made), anything else per answer.
 */
export interface StorefrontApi {
  checkReachable(): Promise<void>;
  recommend(userId: UserId, scene: string, limit: number): Promise<RecommendationAnswer>;
  sendEvent(event: BeaconEvent): Promise<void>;
}

export interface TrafficOptions {
  readonly seed: number;
  readonly requestsPerSecond: number;
  readonly durationMs: number | null;
  readonly maxRequests: number | null;
  readonly scenes: readonly string[];
  readonly limit: number;
  /** The user count of the bulk scale the caller expects (--scale); fewer users in the shop is an error. */
  readonly expectedUsers: number | null;
  readonly effects: PlantedEffects;
  readonly writeOrders: boolean;
  /** Abort to stop: no new request; what was planned is sent at once. */
  readonly signal: AbortSignal;
}

export interface TrafficProgressEvent {
  readonly requests: number;
  readonly answered: number;
  readonly requestsPerSecond: number;
  readonly eventsSent: number;
  readonly ordersWritten: number;
  readonly failures: number;
  readonly scheduled: number;
  readonly elapsedMs: number;
  readonly etaSeconds: number | null;
}
export type TrafficProgress = (event: TrafficProgressEvent) => void;
