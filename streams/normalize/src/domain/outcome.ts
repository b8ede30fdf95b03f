import { ErrorCode } from '@streamrec/foundation';

/**
 * Why an input (or a parked row) goes to `dlq.normalize`. Grouped under three `REC_*` codes so a
 * dashboard can alert per class; `reason` is the fine-grained label for metrics and the DLQ entry.
 */
export const RejectionReason = {
  // REC_CDC_ENVELOPE_INVALID: the record is not a usable Debezium change event.
  NotAnEnvelope: 'not_an_envelope',
  UnknownTable: 'unknown_table',
  MissingOp: 'missing_op',
  UnsupportedOp: 'unsupported_op',
  MissingRowImage: 'missing_row_image',
  MissingSourcePosition: 'missing_source_position',
  MissingColumn: 'missing_column',
  WrongType: 'wrong_type',
  // REC_UNMAPPABLE_EVENT: a well-formed row that cannot become an output event.
  UnmappedUrl: 'unmapped_url',
  UnknownEventAction: 'unknown_event_action',
  UnmappedEventItem: 'unmapped_event_item',
  UnmappedSku: 'unmapped_sku',
  UnexpectedActionType: 'unexpected_action_type',
  InvalidMoney: 'invalid_money',
  InvalidQuantity: 'invalid_quantity',
  InvalidUserId: 'invalid_user_id',
  UnknownOrderStatus: 'unknown_order_status',
  MissingPaidAt: 'missing_paid_at',
  // REC_UNRESOLVED_REFERENCE: a parked row was pushed out before what it waits for arrived.
  PendingEvicted: 'pending_evicted',
} as const;
export type RejectionReason = (typeof RejectionReason)[keyof typeof RejectionReason];

const envelopeReasons: ReadonlySet<RejectionReason> = new Set([
  RejectionReason.NotAnEnvelope,
  RejectionReason.UnknownTable,
  RejectionReason.MissingOp,
  RejectionReason.UnsupportedOp,
  RejectionReason.MissingRowImage,
  RejectionReason.MissingSourcePosition,
  RejectionReason.MissingColumn,
  RejectionReason.WrongType,
]);

export function codeOf(reason: RejectionReason): ErrorCode {
  if (envelopeReasons.has(reason)) return ErrorCode.CdcEnvelopeInvalid;
  if (reason === RejectionReason.PendingEvicted) return ErrorCode.UnresolvedReference;
  return ErrorCode.UnmappableEvent;
}

/** A verdict on bad data: never thrown, returned, and sent to the DLQ by the adapter. */
export interface Rejection {
  readonly code: ErrorCode;
  readonly reason: RejectionReason;
  /** What exactly was wrong (column, value), for the operator reading the DLQ. */
  readonly message: string;
}

export function rejection(reason: RejectionReason, message: string): Rejection {
  return { code: codeOf(reason), reason, message };
}

/**
 * Why a valid input produced no output. Not an error: the adapter only counts these
 * (`normalize_skipped_total{reason}`); nothing goes to the DLQ.
 */
export const SkipReason = {
  Tombstone: 'tombstone',
  /** Interactions are immutable facts: deleting the source row (log purge, un-favourite) retracts nothing. */
  SourceDelete: 'source_delete',
  TableNotUsed: 'table_not_used',
  NotAnItemPage: 'not_an_item_page',
  NotAPageview: 'not_a_pageview',
  OtherEventCategory: 'other_event_category',
  /** The fact (favourite, purchase) is taken from the other source, see NormalizeSettings. */
  FactFromOtherSource: 'fact_from_other_source',
  AbandonedCartItem: 'abandoned_cart_item',
  DeletedCartItem: 'deleted_cart_item',
  OrderCancelled: 'order_cancelled',
  DuplicateEvent: 'duplicate_event',
  StaleVersion: 'stale_version',
  AnonymousVisit: 'anonymous_visit',
  VisitorAlreadyLinked: 'visitor_already_linked',
  StaleVisitorLink: 'stale_visitor_link',
  OrderUnchanged: 'order_unchanged',
  /** A snapshot read of an append-only event row at or below the key already handled (snapshot-rereads.ts). */
  SnapshotReread: 'snapshot_reread',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];
