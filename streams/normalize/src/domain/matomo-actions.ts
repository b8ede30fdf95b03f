import { actionId, type ActionId } from './ids.js';
import type { KeyValueStore } from './key-value-store.js';
import type { MatomoActionRow } from '@streamrec/cdc';

/** Matomo's log_action.type values (core/Tracker/Action.php) the mappings look at. */
export const ActionType = {
  PageUrl: 1,
  PageTitle: 4,
  EcommerceItemSku: 5,
  EventCategory: 10,
  EventAction: 11,
  EventName: 12,
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

/** Names the mappings read; other types (titles, item names, categories...) are stored without their text. */
const typesWithNames: ReadonlySet<number> = new Set([
  ActionType.PageUrl,
  ActionType.EcommerceItemSku,
  ActionType.EventCategory,
  ActionType.EventAction,
  ActionType.EventName,
]);

/**
 * One entry of the idaction → action lookup. Every action row is stored, even one whose text is
 * not needed, so "not seen yet" (park and wait) stays distinct from "seen, not an item".
 */
export type StoredAction = { readonly type: number | null; readonly name: string | null };

export function storedActionOf(row: MatomoActionRow): StoredAction {
  return { type: row.type, name: row.type !== null && typesWithNames.has(row.type) ? row.name : null };
}

export const actionKey = (id: ActionId): string => String(id);

/** The dependency a row waits on while an action it references has not arrived. */
export const actionDependency = (id: ActionId): string => `action:${id}`;

/** Result of resolving the references one mapping step needs. */
export type Resolved<T> = { readonly found: T; readonly missing?: undefined } | { readonly found?: undefined; readonly missing: readonly ActionId[] };

type ResolvedActions<R> = { readonly [P in keyof R]: null extends R[P] ? StoredAction | null : StoredAction };

/**
 * Looks up every reference at once, so a row waits for all its missing actions in one parking.
 * A null reference (the row has none) resolves to null.
 */
export function resolveActions<R extends Readonly<Record<string, number | null>>>(
  actions: KeyValueStore<StoredAction>,
  references: R,
): Resolved<ResolvedActions<R>> {
  const found: Record<string, StoredAction | null> = {};
  const missing: ActionId[] = [];
  for (const [name, id] of Object.entries(references)) {
    const action = id === null ? null : actions.get(actionKey(actionId(id)));
    if (action !== undefined) found[name] = action;
    else if (id !== null) missing.push(actionId(id));
  }
  return missing.length > 0 ? { missing } : { found: found as ResolvedActions<R> };
}
