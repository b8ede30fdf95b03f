import { itemChangeOf, userChangeOf } from './catalogue-changes.js';
import { ChangeOp, type ChangeEvent } from './cdc-envelope.js';
import { decodeRow, type ColumnSpec, type RowOf } from '@streamrec/cdc';
import type { EmittedIds } from './emitted-ids.js';
import { actionId, anonymousUserId, EventId, shopUserId, visitorId } from './ids.js';
import { toInteraction, type InteractionDraft, type VisitorInteraction } from './interaction.js';
import { actionDependency, actionKey, storedActionOf } from './matomo-actions.js';
import { mapConversionItem, mapLinkVisitAction } from './matomo-mapping.js';
import type { Mapping, Settled } from './mapping.js';
import type { NormalizeResult } from './normalize-result.js';
import type { NormalizeState } from './normalize-state.js';
import { rejection, RejectionReason, SkipReason } from './outcome.js';
import type { ParkedJob, ParkedRow, ParkingLot } from './parking-lot.js';
import { FactSource, type NormalizeSettings } from './settings.js';
import { mapFavorite } from './shop-favorites.js';
import { applyOrderRow, mapOrderItem, orderDependency } from './shop-orders.js';
import {
  ConversionItemColumns,
  DatasetColumns,
  FavoriteColumns,
  LinkVisitActionColumns,
  MatomoActionColumns,
  MatomoVisitColumns,
  OrderColumns,
  OrderItemColumns,
  UserColumns,
} from '@streamrec/cdc';
import { SourceTable } from '@streamrec/cdc';
import type { VisitorIdentity } from './visitor-identity.js';
import type { SnapshotRereads } from './snapshot-rereads.js';

export interface RunComponents {
  readonly state: NormalizeState;
  readonly settings: NormalizeSettings;
  readonly emitted: EmittedIds;
  readonly lot: ParkingLot;
  readonly identity: VisitorIdentity;
  readonly rereads: SnapshotRereads;
}

/** Matomo's user_id as the demo and the storefront set it: the shop's users.id in decimal. */
const SHOP_USER_ID = /^[1-9]\d{0,15}$/;

/**
 * The changelogs, where a delete is a change to publish (deleted: true). Every other table records
 * facts or references: deleting its row (Matomo's log purge, an un-favourite, a removed order line)
 * retracts no interaction, and the lookups keep what they know.
 */
const changelogTables: ReadonlySet<SourceTable> = new Set([SourceTable.ShopDatasets, SourceTable.ShopUsers]);
/** Read only while purchases are taken from the shop. */
const purchaseTables: ReadonlySet<SourceTable> = new Set([SourceTable.ShopOrders, SourceTable.ShopOrderItems]);

const jobKey = (job: ParkedJob): string => {
  switch (job.table) {
    case SourceTable.MatomoLinkVisitAction:
      return EventId.linkVisitAction(job.row.idlink_va);
    case SourceTable.MatomoConversionItem:
      return EventId.conversionItem(job.row.idvisit, job.row.idorder, job.row.idaction_sku);
    case SourceTable.ShopOrderItems:
      return EventId.orderItem(job.row.id);
  }
};

/** The handling of one input record: dispatches on its table and collects what it produces. */
export class RecordRun {
  constructor(
    private readonly components: RunComponents,
    private readonly result: NormalizeResult,
    private readonly ingestTime: number,
    /** The input partition of the record (snapshot re-reads are judged per partition). */
    private readonly partition: number,
  ) {}

  apply(change: ChangeEvent): void {
    const { settings, state } = this.components;
    if (change.table === SourceTable.MatomoConversion) return this.skip(SkipReason.TableNotUsed);
    if (purchaseTables.has(change.table) && settings.purchaseSource !== FactSource.Shop) return this.skip(SkipReason.FactFromOtherSource);
    if (change.op === ChangeOp.Delete && !changelogTables.has(change.table)) return this.skip(SkipReason.SourceDelete);
    if (this.components.rereads.isReread(change, this.partition)) return this.skip(SkipReason.SnapshotReread);
    switch (change.table) {
      case SourceTable.MatomoAction:
        return this.onAction(change);
      case SourceTable.MatomoVisit:
        return this.onVisit(change);
      case SourceTable.MatomoLinkVisitAction:
        return this.withRow(change, LinkVisitActionColumns, (row) => this.attempt({ table: SourceTable.MatomoLinkVisitAction, row }));
      case SourceTable.MatomoConversionItem:
        return this.withRow(change, ConversionItemColumns, (row) => this.attempt({ table: SourceTable.MatomoConversionItem, row }));
      case SourceTable.ShopOrders:
        return this.onOrder(change);
      case SourceTable.ShopOrderItems:
        return this.withRow(change, OrderItemColumns, (row) => this.attempt({ table: SourceTable.ShopOrderItems, row }));
      case SourceTable.ShopFavorites:
        return this.withRow(change, FavoriteColumns, (row) => this.handle(mapFavorite(row, settings), (draft) => this.emit(draft)));
      case SourceTable.ShopDatasets:
        return this.withRow(change, DatasetColumns, (row) => this.handle(itemChangeOf(row, change, state.versions), (item) => this.result.items.push(item)));
      case SourceTable.ShopUsers:
        return this.withRow(change, UserColumns, (row) => this.handle(userChangeOf(row, change, state.versions), (user) => this.result.users.push(user)));
    }
  }

  /** A log_action row: store it, then retry the rows that waited for it. */
  private onAction(change: ChangeEvent): void {
    this.withRow(change, MatomoActionColumns, (row) => {
      const { actions } = this.components.state;
      const id = actionId(row.idaction);
      const stored = storedActionOf(row);
      const held = actions.get(actionKey(id));
      if (held?.type !== stored.type || held.name !== stored.name) actions.set(actionKey(id), stored);
      this.retryWaitersOf(actionDependency(id));
    });
  }

  private onVisit(change: ChangeEvent): void {
    this.withRow(change, MatomoVisitColumns, (row) => {
      if (row.user_id === null) return this.skip(SkipReason.AnonymousVisit);
      if (!SHOP_USER_ID.test(row.user_id)) {
        this.result.deadLetters.push({ rejection: rejection(RejectionReason.InvalidUserId, `user_id ${JSON.stringify(row.user_id)} is not a shop user id`) });
        return;
      }
      const linked = this.components.identity.link(visitorId(row.idvisitor), shopUserId(row.user_id), row.visit_last_action_time);
      if (linked.kind === 'skipped') return this.skip(linked.reason);
      let reemitted = 0;
      for (const copy of linked.copies) if (this.emit(copy)) reemitted += 1;
      this.result.stitches.push({ ...linked.stitch, reemitted });
    });
  }

  private onOrder(change: ChangeEvent): void {
    this.withRow(change, OrderColumns, (row) => {
      this.handle(applyOrderRow(this.components.state.orders, row), () => this.retryWaitersOf(orderDependency(row.id)));
    });
  }

  private retryWaitersOf(dependency: string): void {
    for (const waiter of this.components.lot.waitersOf(dependency)) this.attempt(waiter.job, waiter);
  }

  /** Maps a row that may have to wait; `parked` is its parking entry when this is a retry. */
  private attempt(job: ParkedJob, parked?: ParkedRow): void {
    const { state, settings, lot } = this.components;
    const key = jobKey(job);
    const mapping: Mapping<InteractionDraft | VisitorInteraction> =
      job.table === SourceTable.MatomoLinkVisitAction
        ? mapLinkVisitAction(job.row, state.actions, settings)
        : job.table === SourceTable.MatomoConversionItem
          ? mapConversionItem(job.row, state.actions, settings)
          : mapOrderItem(job.row, state.orders);
    if (mapping.kind === 'missing') {
      const evicted = lot.park(key, job, mapping.waitingFor);
      if (parked === undefined) this.result.parked.push({ key, waitingFor: mapping.waitingFor });
      if (evicted !== undefined) {
        const message = `gave up waiting for ${evicted.waitingFor.join(', ')} after ${this.components.settings.parkingCapacity} later rows were parked`;
        this.result.deadLetters.push({ rejection: rejection(RejectionReason.PendingEvicted, message), parked: evicted });
      }
      return;
    }
    lot.remove(key);
    if (mapping.kind === 'rejected') this.result.deadLetters.push(parked === undefined ? { rejection: mapping.rejection } : { rejection: mapping.rejection, parked });
    else this.handle(mapping, (fact) => ('user_id' in fact ? this.emit(fact) : this.emitForVisitor(fact)));
  }

  /** A Matomo interaction: credited to the visitor's user if known, else to `anon:<idvisitor>` and remembered. */
  private emitForVisitor(fact: VisitorInteraction): void {
    const { identity, emitted } = this.components;
    if (emitted.has(fact.event_id)) return this.skip(SkipReason.DuplicateEvent);
    const userId = identity.userOf(fact.visitor_id);
    const draft: InteractionDraft = { ...fact, user_id: userId };
    this.emit(draft);
    if (userId === anonymousUserId(fact.visitor_id)) identity.rememberAnonymous(fact.visitor_id, draft);
  }

  /** Emits unless the event id was emitted recently (a re-delivery); true when emitted. */
  private emit(draft: InteractionDraft): boolean {
    const { emitted } = this.components;
    if (emitted.has(draft.event_id)) {
      this.skip(SkipReason.DuplicateEvent);
      return false;
    }
    emitted.remember(draft.event_id);
    this.result.interactions.push(toInteraction(draft, this.ingestTime));
    return true;
  }

  private handle<T>(mapping: Settled<T>, onMapped: (value: T) => unknown): void {
    switch (mapping.kind) {
      case 'mapped':
        onMapped(mapping.value);
        return;
      case 'skipped':
        return this.skip(mapping.reason);
      case 'rejected':
        this.result.deadLetters.push({ rejection: mapping.rejection });
        return;
    }
  }

  private withRow<S extends ColumnSpec>(change: ChangeEvent, spec: S, use: (row: RowOf<S>) => void): void {
    const decoded = decodeRow(change.row, spec);
    if (decoded.rejection) this.result.deadLetters.push({ rejection: decoded.rejection });
    else use(decoded.row);
  }

  private skip(reason: SkipReason): void {
    this.result.skipped.push(reason);
  }
}
