import { InteractionAction, InteractionSource } from '@streamrec/schemas';
import { EventId, itemId, shopUserId } from './ids.js';
import type { InteractionDraft } from './interaction.js';
import { mapped, skip, type Settled } from './mapping.js';
import { SkipReason } from './outcome.js';
import { FactSource, type NormalizeSettings } from './settings.js';
import type { FavoriteRow } from '@streamrec/cdc';

/** A favourites row → `favorite` at created_at (un-favouriting deletes the row and retracts nothing). */
export function mapFavorite(row: FavoriteRow, settings: NormalizeSettings): Settled<InteractionDraft> {
  if (settings.favoriteSource !== FactSource.Shop) return skip(SkipReason.FactFromOtherSource);
  return mapped({
    event_id: EventId.favorite(row.id, row.created_at),
    user_id: shopUserId(row.user_id),
    visitor_id: null,
    item_id: itemId(row.dataset_id),
    action: InteractionAction.Favorite,
    event_time: row.created_at,
    source: InteractionSource.Shop,
    session_id: null,
    price: null,
    quantity: null,
  });
}
