import { decimalFromString } from '@streamrec/schemas';
import type { Interaction, InteractionAction, InteractionSource } from '@streamrec/schemas';
import type { InteractionUserId, ItemId, VisitorId } from './ids.js';

/**
 * An interaction as the domain builds and stores it: the Avro value's fields with the price as
 * decimal text (plain JSON, so it can sit in state), and without `ingest_time`, which only the
 * adapter knows. `toInteraction` gives the value the Avro codec writes.
 */
export type InteractionDraft = {
  readonly event_id: string;
  readonly user_id: InteractionUserId;
  readonly visitor_id: VisitorId | null;
  readonly item_id: ItemId;
  readonly action: InteractionAction;
  readonly event_time: number;
  readonly source: InteractionSource;
  readonly session_id: string | null;
  /** Canonical decimal(12,2) text, already validated. */
  readonly price: string | null;
  readonly quantity: number | null;
};

/** A Matomo interaction before the visitor is resolved to a user. */
export type VisitorInteraction = Omit<InteractionDraft, 'user_id'> & { readonly visitor_id: VisitorId };

export function toInteraction(draft: InteractionDraft, ingestTime: number): Interaction {
  return {
    ...draft,
    price: draft.price === null ? null : decimalFromString(draft.price),
    request_id: null,
    ingest_time: ingestTime,
  };
}
