/** How many failed authentications one client may make per window before it is refused outright. */
export interface AuthFailureLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = Object.freeze({ max: 20, windowSeconds: 60 });

/** Clients remembered at most; beyond it expired windows go first, then the oldest. */
const DEFAULT_MAX_CLIENTS = 100_000;

/**
 * Failed authentications per client (its address) in fixed windows: after `max` failures the client is
 * refused until its window ends, whatever key it presents, so guessing keys costs a window per `max`
 * guesses. Memory is bounded: at most `maxClients` windows are kept.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startMs: number; failures: number }>();

  constructor(
    readonly limit: AuthFailureLimit = DEFAULT_AUTH_FAILURE_LIMIT,
    private readonly maxClients: number = DEFAULT_MAX_CLIENTS,
  ) {}

  /** Milliseconds until the client may authenticate again; 0 when it may now. */
  retryAfterMs(client: string, nowMs: number): number {
    const window = this.windows.get(client);
    if (window === undefined) return 0;
    const endMs = window.startMs + this.limit.windowSeconds * 1000;
    if (nowMs >= endMs) {
      this.windows.delete(client);
      return 0;
    }
    return window.failures >= this.limit.max ? endMs - nowMs : 0;
  }

  recordFailure(client: string, nowMs: number): void {
    const window = this.windows.get(client);
    if (window !== undefined && nowMs < window.startMs + this.limit.windowSeconds * 1000) {
      window.failures += 1;
      return;
    }
    this.windows.delete(client);
    this.windows.set(client, { startMs: nowMs, failures: 1 });
    if (this.windows.size > this.maxClients) this.evict(nowMs);
  }

  /** Clients currently remembered (metrics, tests). */
  size(): number {
    return this.windows.size;
  }

  private evict(nowMs: number): void {
    const windowMs = this.limit.windowSeconds * 1000;
    for (const [client, window] of this.windows) if (nowMs >= window.startMs + windowMs) this.windows.delete(client);
    // Still full: the oldest windows (Map keeps insertion order) make room.
    for (const client of this.windows.keys()) {
      if (this.windows.size <= this.maxClients) break;
      this.windows.delete(client);
    }
  }
}
