import type { Pool } from 'mysql2/promise';
import type { BulkState, BulkStore } from '../bulk.js';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { Dataset, DatasetDraft } from '../domain/catalogue.js';
import type { CatalogueMutation, TrickleMutation } from '../domain/mutations.js';
import type { UserDraft } from '../domain/population.js';
import type { OrderPlan, SessionRecord } from '../domain/session-model.js';
import { ChangeTally, type RunSummary } from '../domain/tally.js';
import { asDatasetId, asUserId, type DatasetId, type UserId } from '../domain/types.js';
import type { VisitorProfile } from '../domain/visitor.js';
import type { TrafficStore, TrafficWorld } from '../traffic-ports.js';
import type { MutationOutcome, TrickleStore, TrickleWorld, VisitorState } from '../trickle.js';
import { findDatasets, loadTrafficWorld, loadTrickleWorld, readBulkState, readVisitorState } from './demo-state-reader.js';
import { LiveSessionWriter } from './live-session-writer.js';
import { LogActionResolver } from './log-action-resolver.js';
import { MariaDbWriter } from './mariadb-writer.js';
import { applyCatalogueMutation, applyTrickleMutation } from './mutation-writer.js';
import { insertPlacedOrder, settlePlacedOrder } from './order-writer.js';
import { writeSessionBatch } from './session-batch-writer.js';
import { DATASET_COLUMNS, SHOP, USER_COLUMNS, datasetRow, userRow } from './shop-rows.js';

/**
 * The shop and Matomo databases on one MariaDB server, written through one connection. Each
 * write is one transaction spanning both databases; its changes are tallied after the commit.
 */
export class MariaDbDemoStore implements BulkStore, TrickleStore, TrafficStore {
  private readonly tally = new ChangeTally();
  private readonly actions: LogActionResolver;
  private readonly live: LiveSessionWriter;

  private constructor(private readonly writer: MariaDbWriter) {
    this.actions = new LogActionResolver(writer);
    this.live = new LiveSessionWriter(writer, this.actions);
  }

  static async open(pool: Pool): Promise<MariaDbDemoStore> {
    return new MariaDbDemoStore(await MariaDbWriter.open(pool));
  }

  close(): void {
    this.writer.release();
  }

  summary(): RunSummary {
    return this.tally.summary();
  }

  readState(): Promise<BulkState> {
    return readBulkState(this.writer);
  }

  insertDatasets(drafts: readonly DatasetDraft[]): Promise<DatasetId[]> {
    return this.inTransaction(async (tally) => {
      const ids = await this.writer.insert(SHOP.datasets, DATASET_COLUMNS, drafts.map(datasetRow));
      tally.inserted('shop.datasets', ids.length);
      return ids.map(asDatasetId);
    });
  }

  insertUsers(drafts: readonly UserDraft[]): Promise<UserId[]> {
    return this.inTransaction(async (tally) => {
      const ids = await this.writer.insert(SHOP.users, USER_COLUMNS, drafts.map(userRow));
      tally.inserted('shop.users', ids.length);
      return ids.map(asUserId);
    });
  }

  writeSessions(sessions: readonly SessionRecord[]): Promise<void> {
    return this.inTransaction((tally) => writeSessionBatch(this.writer, this.actions, sessions, tally));
  }

  applyCatalogueMutations(mutations: readonly CatalogueMutation[]): Promise<void> {
    return this.inTransaction(async (tally) => {
      for (const mutation of mutations) await applyCatalogueMutation(this.writer, mutation, tally);
    });
  }

  loadWorld(): Promise<TrickleWorld> {
    return loadTrickleWorld(this.writer);
  }

  visitorState(visitor: VisitorProfile, userId: UserId | null): Promise<VisitorState> {
    return readVisitorState(this.writer, visitor, userId);
  }

  writeStep(session: SessionRecord, stepIndex: number): Promise<void> {
    return this.inTransaction((tally) => this.live.writeStep(session, stepIndex, tally));
  }

  endSession(sessionKey: string): void {
    this.live.end(sessionKey);
  }

  applyMutation(mutation: TrickleMutation, at: Date): Promise<MutationOutcome> {
    return this.inTransaction((tally) => applyTrickleMutation(this.writer, mutation, at, tally));
  }

  loadTrafficWorld(): Promise<TrafficWorld> {
    return loadTrafficWorld(this.writer);
  }

  findDatasets(ids: readonly DatasetId[]): Promise<Dataset[]> {
    return findDatasets(this.writer, ids);
  }

  placeOrder(order: OrderPlan): Promise<number> {
    return this.inTransaction(async (tally) => {
      const orderId = await insertPlacedOrder(this.writer, order, tally);
      if (orderId === undefined) throw new AppError(ErrorCode.DependencyUnavailable, 'shop.orders insert returned no id');
      return orderId;
    });
  }

  settleOrder(orderId: number, order: OrderPlan): Promise<void> {
    return this.inTransaction((tally) => settlePlacedOrder(this.writer, orderId, order.paidAt !== null, order.settledAt, tally));
  }

  private async inTransaction<T>(work: (tally: ChangeTally) => Promise<T>): Promise<T> {
    const pending = new ChangeTally();
    try {
      const result = await this.writer.transaction(() => work(pending));
      this.actions.commit();
      this.tally.mergeFrom(pending);
      return result;
    } catch (error) {
      this.actions.rollback();
      throw error;
    }
  }
}
