import { AppError, ErrorCode } from '@streamrec/foundation';
import { actionKeysOf, conversionsOf, linkActionsOf } from '../domain/matomo-actions.js';
import { EventAction } from '../domain/matomo.js';
import { summariseVisit } from '../domain/matomo-visit.js';
import type { SessionRecord } from '../domain/session-model.js';
import type { ChangeTally } from '../domain/tally.js';
import { MS_PER_SECOND } from '../domain/types.js';
import type { LogActionResolver } from './log-action-resolver.js';
import type { MariaDbWriter } from './mariadb-writer.js';
import {
  CONVERSION_COLUMNS,
  CONVERSION_ITEM_COLUMNS,
  LINK_COLUMNS,
  MATOMO,
  VISIT_COLUMNS,
  VISIT_PROGRESS_COLUMNS,
  conversionItemRows,
  conversionRow,
  linkRow,
  visitProgressValues,
  visitRow,
} from './matomo-rows.js';
import { insertPlacedOrder, settlePlacedOrder } from './order-writer.js';
import { FAVORITE_COLUMNS, SHOP, favoriteRow } from './shop-rows.js';

interface LiveVisit {
  readonly idvisit: number;
  readonly linkIds: Map<number, number>;
  readonly orderIds: Map<number, number>;
}

/**
 * Writes a visit while it happens, one step per call, as Matomo's tracker and the shop backend
 * would: the first action inserts log_visit, later ones insert their action and UPDATE the visit
 * (and the previous pageview's time_spent); checkout inserts a pending order, payment updates it
 * and records the ecommerce conversion. Call inside a transaction, steps in order.
 */
export class LiveSessionWriter {
  private readonly visits = new Map<string, LiveVisit>();

  constructor(
    private readonly writer: MariaDbWriter,
    private readonly actions: LogActionResolver,
  ) {}

  async writeStep(session: SessionRecord, stepIndex: number, tally: ChangeTally): Promise<void> {
    const step = session.steps[stepIndex];
    if (!step) throw new AppError(ErrorCode.InvalidArgument, `visit ${session.key} has no step ${stepIndex}`);
    const upto = stepIndex + 1;
    const ids = await this.actions.resolve(actionKeysOf(session, upto), tally);
    const summary = summariseVisit(session, upto);
    const visit = await this.visitFor(session, stepIndex, summary, ids, tally);

    if (step.kind === 'payment') {
      await this.settleOrder(session, stepIndex, visit, summary, ids, tally);
    } else {
      const plan = linkActionsOf(session, upto).find((candidate) => candidate.stepIndex === stepIndex);
      if (plan) {
        const [idlinkVa] = await this.writer.insert(MATOMO.linkVisitAction, LINK_COLUMNS, [linkRow(session, plan, visit.idvisit, ids)]);
        if (idlinkVa !== undefined) visit.linkIds.set(stepIndex, idlinkVa);
        tally.inserted('matomo.matomo_log_link_visit_action', 1);
      }
      if (step.kind === 'event' && step.action === EventAction.Favorite && session.userId !== null) {
        // IGNORE: another trickle process may have favourited the same dataset for this user meanwhile.
        const result = await this.writer.run(
          `INSERT IGNORE INTO ${SHOP.favorites} (${FAVORITE_COLUMNS.join(', ')}) VALUES (?, ?, ?)`,
          favoriteRow(session.userId, step.datasetId, step.at),
        );
        if (result.affectedRows > 0) tally.inserted('shop.favorites', 1);
      }
      if (step.kind === 'pageview' && step.orderIndex !== null) await this.placeOrder(session, step.orderIndex, visit, tally);
    }
    await this.recordTimeSpent(session, stepIndex, visit, tally);
    if (stepIndex > 0) {
      const lastLink = summary.lastLinkStep === null ? null : (visit.linkIds.get(summary.lastLinkStep) ?? null);
      const result = await this.writer.run(
        `UPDATE ${MATOMO.visit} SET ${VISIT_PROGRESS_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE idvisit = ?`,
        [...visitProgressValues(summary, ids, lastLink), visit.idvisit],
      );
      // A row UPDATE that changes nothing leaves no binlog event, so it is not counted either.
      if (result.changedRows > 0) tally.updated('matomo.matomo_log_visit', visit.idvisit);
    }
  }

  /** Forget a finished (or abandoned) visit. */
  end(sessionKey: string): void {
    this.visits.delete(sessionKey);
  }

  private async visitFor(
    session: SessionRecord,
    stepIndex: number,
    summary: ReturnType<typeof summariseVisit>,
    ids: ReadonlyMap<string, number>,
    tally: ChangeTally,
  ): Promise<LiveVisit> {
    const existing = this.visits.get(session.key);
    if (existing) return existing;
    if (stepIndex !== 0) throw new AppError(ErrorCode.InvalidArgument, `visit ${session.key} continued before it started`);
    const [idvisit] = await this.writer.insert(MATOMO.visit, VISIT_COLUMNS, [visitRow(session, summary, ids, null)]);
    if (idvisit === undefined) throw new AppError(ErrorCode.DependencyUnavailable, 'log_visit insert returned no id');
    tally.inserted('matomo.matomo_log_visit', 1);
    const visit = { idvisit, linkIds: new Map<number, number>(), orderIds: new Map<number, number>() };
    this.visits.set(session.key, visit);
    return visit;
  }

  private async placeOrder(session: SessionRecord, orderIndex: number, visit: LiveVisit, tally: ChangeTally): Promise<void> {
    const order = session.orders[orderIndex];
    if (!order) return;
    const orderId = await insertPlacedOrder(this.writer, order, tally);
    if (orderId !== undefined) visit.orderIds.set(orderIndex, orderId);
  }

  private async settleOrder(
    session: SessionRecord,
    stepIndex: number,
    visit: LiveVisit,
    summary: ReturnType<typeof summariseVisit>,
    ids: ReadonlyMap<string, number>,
    tally: ChangeTally,
  ): Promise<void> {
    const step = session.steps[stepIndex];
    if (!step || step.kind !== 'payment') return;
    const order = session.orders[step.orderIndex];
    const orderId = visit.orderIds.get(step.orderIndex);
    if (!order || orderId === undefined) return;
    const paid = order.paidAt !== null;
    await settlePlacedOrder(this.writer, orderId, paid, step.at, tally);
    if (!paid) return;
    const plan = conversionsOf(session, stepIndex + 1).find((candidate) => candidate.orderIndex === step.orderIndex);
    const idlinkVa = plan ? visit.linkIds.get(plan.checkoutStepIndex) : undefined;
    if (!plan || idlinkVa === undefined) return;
    const refs = { idvisit: visit.idvisit, idlinkVa, idorder: String(orderId) };
    await this.writer.insert(MATOMO.conversion, CONVERSION_COLUMNS, [conversionRow(session, summary, plan, refs, ids)]);
    const items = conversionItemRows(session, plan, refs, ids);
    await this.writer.insert(MATOMO.conversionItem, CONVERSION_ITEM_COLUMNS, items);
    tally.inserted('matomo.matomo_log_conversion', 1);
    tally.inserted('matomo.matomo_log_conversion_item', items.length);
  }

  /** The previous pageview learns how long the visitor stayed on it once the next action arrives. */
  private async recordTimeSpent(session: SessionRecord, stepIndex: number, visit: LiveVisit, tally: ChangeTally): Promise<void> {
    const previous = session.steps[stepIndex - 1];
    const current = session.steps[stepIndex];
    const idlinkVa = visit.linkIds.get(stepIndex - 1);
    if (!previous || !current || previous.kind !== 'pageview' || idlinkVa === undefined) return;
    const seconds = Math.max(0, Math.round((current.at.getTime() - previous.at.getTime()) / MS_PER_SECOND));
    const result = await this.writer.run(`UPDATE ${MATOMO.linkVisitAction} SET time_spent = ? WHERE idlink_va = ?`, [
      seconds,
      idlinkVa,
    ]);
    if (result.changedRows > 0) tally.updated('matomo.matomo_log_link_visit_action', idlinkVa);
  }
}
