import { InteractionAction, InteractionSource, type InteractionAction as Action } from '@streamrec/schemas';
import { EventId, visitorId, type ActionId } from './ids.js';
import type { VisitorInteraction } from './interaction.js';
import { classifyPageUrl, itemOfEventName, itemOfSku } from './item-references.js';
import type { KeyValueStore } from './key-value-store.js';
import { actionDependency, ActionType, resolveActions, type StoredAction } from './matomo-actions.js';
import { isValidQuantity, mapped, moneyFromDouble, reject, skip, waitFor, type Mapping } from './mapping.js';
import { RejectionReason, SkipReason } from './outcome.js';
import { FactSource, type NormalizeSettings } from './settings.js';
import type { ConversionItemRow, LinkVisitActionRow } from '@streamrec/cdc';

/** The storefront's event category for catalogue items and its actions (jobs/demo-data, schemas/README.md). */
export const DATASET_EVENT_CATEGORY = 'dataset';
const eventActions: ReadonlyMap<string, Action> = new Map([
  ['click', InteractionAction.Click],
  ['download', InteractionAction.Download],
  ['favorite', InteractionAction.Favorite],
  ['add_to_cart', InteractionAction.Cart],
]);

/** Matomo writes 0 (or NULL) for "no action" in idaction_* columns. */
const reference = (id: number | null): number | null => (id === null || id === 0 ? null : id);

const missing = (ids: readonly ActionId[]): Mapping<never> => waitFor(ids.map(actionDependency));

type Actions = KeyValueStore<StoredAction>;

/**
 * A link_visit_action row is an event when it has an event category, otherwise a pageview of
 * idaction_url: a dataset page is a `view`, any other page is skipped (not an error: home,
 * listings, cart...). A malformed dataset URL is `unmapped_url`.
 */
export function mapLinkVisitAction(row: LinkVisitActionRow, actions: Actions, settings: NormalizeSettings): Mapping<VisitorInteraction> {
  const base = {
    event_id: EventId.linkVisitAction(row.idlink_va),
    visitor_id: visitorId(row.idvisitor),
    event_time: row.server_time,
    source: InteractionSource.Matomo,
    session_id: String(row.idvisit),
    price: null,
    quantity: null,
  } as const;
  const category = reference(row.idaction_event_category);
  if (category !== null) return mapEvent(row, category, base, actions, settings);
  const url = reference(row.idaction_url);
  if (url === null) return skip(SkipReason.NotAPageview);
  const resolved = resolveActions(actions, { url });
  if (resolved.missing) return missing(resolved.missing);
  const page = resolved.found.url;
  if (page.type !== ActionType.PageUrl) return skip(SkipReason.NotAPageview);
  const kind = classifyPageUrl(page.name ?? '');
  if (kind.kind === 'other') return skip(SkipReason.NotAnItemPage);
  if (kind.kind === 'malformed-item') return reject(RejectionReason.UnmappedUrl, `page ${JSON.stringify(page.name)} is under /datasets/ but names no dataset id`);
  return mapped({ ...base, item_id: kind.item, action: InteractionAction.View });
}

type Base = Omit<VisitorInteraction, 'item_id' | 'action'>;

function mapEvent(row: LinkVisitActionRow, categoryRef: number, base: Base, actions: Actions, settings: NormalizeSettings): Mapping<VisitorInteraction> {
  const actionRef = reference(row.idaction_event_action);
  if (actionRef === null) return reject(RejectionReason.UnknownEventAction, 'an event row without idaction_event_action');
  const resolved = resolveActions(actions, { category: categoryRef, action: actionRef, name: reference(row.idaction_name) });
  if (resolved.missing) return missing(resolved.missing);
  const { category, action, name } = resolved.found;
  if (category.type !== ActionType.EventCategory || action.type !== ActionType.EventAction) {
    return reject(RejectionReason.UnexpectedActionType, 'idaction_event_category / idaction_event_action point to actions of another type');
  }
  if (category.name !== DATASET_EVENT_CATEGORY) return skip(SkipReason.OtherEventCategory);
  const interaction = eventActions.get(action.name ?? '');
  if (interaction === undefined) return reject(RejectionReason.UnknownEventAction, `event action ${JSON.stringify(action.name)} of category dataset`);
  if (interaction === InteractionAction.Favorite && settings.favoriteSource !== FactSource.Matomo) return skip(SkipReason.FactFromOtherSource);
  let price: string | null = null;
  if (interaction === InteractionAction.Cart && row.custom_float !== null) {
    const amount = moneyFromDouble(row.custom_float);
    if (amount === undefined) return reject(RejectionReason.InvalidMoney, `event value ${row.custom_float} is not a price`);
    price = amount;
  }
  if (name !== null && name.type !== ActionType.EventName) {
    return reject(RejectionReason.UnexpectedActionType, 'idaction_name of an event points to an action that is not an event name');
  }
  const named = name === null || name.name === null ? undefined : itemOfEventName(name.name);
  if (named !== undefined) return mapped({ ...base, item_id: named, action: interaction, price });
  // Fallback: the event was sent from a dataset page.
  const url = reference(row.idaction_url);
  const unmapped = reject(RejectionReason.UnmappedEventItem, `event name ${JSON.stringify(name?.name ?? null)} is not a dataset id and the page is no dataset page`);
  if (url === null) return unmapped;
  const page = resolveActions(actions, { url });
  if (page.missing) return missing(page.missing);
  const kind = page.found.url.type === ActionType.PageUrl ? classifyPageUrl(page.found.url.name ?? '') : undefined;
  return kind?.kind === 'item' ? mapped({ ...base, item_id: kind.item, action: interaction, price }) : unmapped;
}

/**
 * An ecommerce order item → `purchase` (only when purchases are taken from Matomo). Items of
 * abandoned carts (idorder '0') and deleted items are not purchases.
 */
export function mapConversionItem(row: ConversionItemRow, actions: Actions, settings: NormalizeSettings): Mapping<VisitorInteraction> {
  if (settings.purchaseSource !== FactSource.Matomo) return skip(SkipReason.FactFromOtherSource);
  if (row.deleted !== 0) return skip(SkipReason.DeletedCartItem);
  if (row.idorder === ABANDONED_CART_ORDER) return skip(SkipReason.AbandonedCartItem);
  const resolved = resolveActions(actions, { sku: row.idaction_sku });
  if (resolved.missing) return missing(resolved.missing);
  const { sku } = resolved.found;
  if (sku.type !== ActionType.EcommerceItemSku) return reject(RejectionReason.UnexpectedActionType, 'idaction_sku points to an action that is not a SKU');
  const item = itemOfSku(sku.name ?? '');
  if (item === undefined) return reject(RejectionReason.UnmappedSku, `SKU ${JSON.stringify(sku.name)} is not DS-<dataset id>`);
  const price = moneyFromDouble(row.price);
  if (price === undefined) return reject(RejectionReason.InvalidMoney, `item price ${row.price} is not a price`);
  if (!isValidQuantity(row.quantity)) return reject(RejectionReason.InvalidQuantity, `quantity ${row.quantity}`);
  return mapped({
    event_id: EventId.conversionItem(row.idvisit, row.idorder, row.idaction_sku),
    visitor_id: visitorId(row.idvisitor),
    item_id: item,
    action: InteractionAction.Purchase,
    event_time: row.server_time,
    source: InteractionSource.Matomo,
    session_id: String(row.idvisit),
    price,
    quantity: row.quantity,
  });
}

/** Matomo's idorder of the items of an abandoned cart (GoalManager::ITEM_IDORDER_ABANDONED_CART). */
const ABANDONED_CART_ORDER = '0';
