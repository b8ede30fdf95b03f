import type { AuthFailureLimit } from '../domain/auth/auth-failure-limiter.js';
import type { ItemId } from '@streamrec/streams-common';
import type { AuthenticationResult } from '../domain/auth/api-keys.js';
import type { Channel } from '../domain/recall/channels.js';
import type { Answer, ServeRequest } from '../domain/serving/serve-recommendations.js';
import type { ApiMetrics } from '../metrics.js';
import type { EventBody } from './schemas.js';
import type { PopularRequest } from '../domain/serving/popular-items.js';

export type { PopularRequest };

export interface ListedItem {
  readonly item: ItemId;
  readonly score: number;
  readonly channels: readonly Channel[];
}

export interface ItemList {
  readonly items: readonly ListedItem[];
  readonly degraded: readonly string[];
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, { readonly ok: boolean; readonly detail?: string }>>;
}

export interface HttpSettings {
  readonly bodyLimitBytes: number;
  readonly maxLimit: number;
  readonly defaultLimit: number;
  readonly maxExclude: number;
  readonly docs: boolean;
  readonly trustProxy: boolean;
  readonly authFailures: AuthFailureLimit;
  readonly sharedRateLimit: boolean;
  readonly sharedRateLimitTimeoutMs: number;
}

/** What the routes call: the wiring in main.ts provides the real ones, route tests fakes. */
export interface ApiServices {
  readonly http: HttpSettings;
  readonly metrics: ApiMetrics;
  readonly clock: () => number;
  authenticate(presented: string | undefined): AuthenticationResult;
  recommend(request: ServeRequest): Promise<Answer>;
  /** Rejects with REC_NOT_FOUND for an item the catalogue does not know. */
  similar(item: ItemId, limit: number): Promise<ItemList>;
  popular(request: PopularRequest): Promise<ItemList>;
  /** Produces the event (acks from all in-sync replicas) and returns its event id. */
  acceptEvent(event: EventBody): Promise<string>;
  readiness(): Promise<ReadinessReport>;
  reloadExperiments(): { readonly ok: boolean; readonly errors: readonly string[]; readonly checksum?: string | null };
  status(): Record<string, unknown>;
  /** An erasure (npm run erase): forgets what this instance keeps about these users (their last answers, in memory and on disk). */
  forgetUsers(users: readonly string[]): Promise<{ readonly forgotten: number }>;
}
