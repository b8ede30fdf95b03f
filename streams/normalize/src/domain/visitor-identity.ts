import { fifoRing, type FifoRingStores } from './fifo-ring.js';
import { anonymousUserId, EventId, type InteractionUserId, type VisitorId } from './ids.js';
import type { InteractionDraft } from './interaction.js';
import type { KeyValueStore } from './key-value-store.js';
import { SkipReason } from './outcome.js';
import type { NormalizeSettings } from './settings.js';

/** idvisitor → the shop user who logged in on that device (latest login wins). */
export type VisitorLink = { readonly userId: InteractionUserId; readonly at: number };

/** The recent interactions an anonymous visitor was credited with, kept for stitching. */
export type AnonymousHistory = { readonly seq: number; readonly events: readonly InteractionDraft[] };

export interface IdentityStores extends FifoRingStores {
  readonly visitors: KeyValueStore<VisitorLink>;
  readonly anonymousHistory: KeyValueStore<AnonymousHistory>;
}

/** A visitor became (or changed) a known user: reported to the adapter for logs and metrics. */
export interface Stitch {
  readonly visitorId: VisitorId;
  readonly userId: InteractionUserId;
  /** The user the visitor was linked to before, when a device changed hands. */
  readonly previousUserId: InteractionUserId | null;
  /** visit_last_action_time of the visit that carried the user id. */
  readonly at: number;
  /** How many earlier anonymous interactions were re-emitted under the user. */
  readonly reemitted: number;
}

export type LinkOutcome =
  | { readonly kind: 'skipped'; readonly reason: SkipReason }
  | { readonly kind: 'stitched'; readonly stitch: Stitch; readonly copies: readonly InteractionDraft[] };

/**
 * Stitching rule: an interaction of a visitor nobody logged in with yet is credited to
 * `anon:<idvisitor>` and remembered (per visitor: the last `stitchMaxEvents` within
 * `stitchWindowMs` of the newest; across visitors: the last `anonymousVisitorCapacity` visitors).
 * When a visit row first carries a user id for the visitor, later interactions go to that user, and
 * the remembered ones not older than `stitchWindowMs` before the login are re-emitted under the
 * user with the derived id `stitch:<user>:<original event id>`. Emitted events are never
 * rewritten: the anonymous originals stay, so consumers that count per item must skip `stitch:`
 * copies (they count the original) while per-user consumers take them.
 */
export interface VisitorIdentity {
  userOf(visitor: VisitorId): InteractionUserId;
  rememberAnonymous(visitor: VisitorId, draft: InteractionDraft): void;
  link(visitor: VisitorId, userId: InteractionUserId, at: number): LinkOutcome;
}

const byTimeThenId = (a: InteractionDraft, b: InteractionDraft): number =>
  a.event_time - b.event_time || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

export function visitorIdentity(stores: IdentityStores, settings: NormalizeSettings): VisitorIdentity {
  const ring = fifoRing('anonymous', settings.anonymousVisitorCapacity, stores);

  const newHistorySeq = (visitor: VisitorId): number => {
    const { seq, displaced } = ring.push(visitor);
    if (displaced !== undefined && stores.anonymousHistory.get(displaced.key)?.seq === displaced.seq) {
      stores.anonymousHistory.delete(displaced.key);
    }
    return seq;
  };

  return {
    userOf: (visitor) => stores.visitors.get(visitor)?.userId ?? anonymousUserId(visitor),

    rememberAnonymous(visitor, draft) {
      const history = stores.anonymousHistory.get(visitor);
      if (history?.events.some((event) => event.event_id === draft.event_id)) return;
      const events = [...(history?.events ?? []), draft].sort(byTimeThenId);
      const newest = events.at(-1)?.event_time ?? draft.event_time;
      const kept = events.filter((event) => event.event_time >= newest - settings.stitchWindowMs).slice(-settings.stitchMaxEvents);
      stores.anonymousHistory.set(visitor, { seq: history?.seq ?? newHistorySeq(visitor), events: kept });
    },

    link(visitor, userId, at) {
      const current = stores.visitors.get(visitor);
      if (current?.userId === userId) return { kind: 'skipped', reason: SkipReason.VisitorAlreadyLinked };
      if (current !== undefined && at < current.at) return { kind: 'skipped', reason: SkipReason.StaleVisitorLink };
      stores.visitors.set(visitor, { userId, at });
      const history = stores.anonymousHistory.get(visitor);
      if (history !== undefined) stores.anonymousHistory.delete(visitor);
      const copies = (history?.events ?? [])
        .filter((event) => event.event_time >= at - settings.stitchWindowMs)
        .map((event) => ({ ...event, event_id: EventId.stitched(userId, event.event_id), user_id: userId }));
      const stitch: Stitch = { visitorId: visitor, userId, previousUserId: current?.userId ?? null, at, reemitted: copies.length };
      return { kind: 'stitched', stitch, copies };
    },
  };
}
