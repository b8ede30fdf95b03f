import { actionKeysOf, conversionsOf, linkActionsOf } from '../domain/matomo-actions.js';
import { EventAction } from '../domain/matomo.js';
import { summariseVisit } from '../domain/matomo-visit.js';
import type { SessionRecord } from '../domain/session-model.js';
import type { ChangeTally } from '../domain/tally.js';
import type { LogActionResolver } from './log-action-resolver.js';
import type { MariaDbWriter, SqlRow } from './mariadb-writer.js';
import {
  CONVERSION_COLUMNS,
  CONVERSION_ITEM_COLUMNS,
  LINK_COLUMNS,
  MATOMO,
  VISIT_COLUMNS,
  conversionItemRows,
  conversionRow,
  linkRow,
  visitRow,
} from './matomo-rows.js';
import {
  FAVORITE_COLUMNS,
  ORDER_COLUMNS,
  ORDER_ITEM_COLUMNS,
  SHOP,
  favoriteRow,
  orderItemRow,
  orderRow,
} from './shop-rows.js';

/**
 * Writes finished visits of the history as a log import would: each visit row already carries
 * its final totals, and every table gets one multi-row INSERT per batch (in the order the tracker
 * writes them: log_action, log_visit, shop orders, actions, conversions). Call inside a transaction.
 */
export async function writeSessionBatch(
  writer: MariaDbWriter,
  actions: LogActionResolver,
  sessions: readonly SessionRecord[],
  tally: ChangeTally,
): Promise<void> {
  const ids = await actions.resolve(sessions.flatMap((session) => actionKeysOf(session)), tally);
  const summaries = sessions.map((session) => summariseVisit(session));

  const visitIds = await writer.insert(
    MATOMO.visit,
    VISIT_COLUMNS,
    sessions.map((session, i) => visitRow(session, summaries[i]!, ids, null)),
  );
  tally.inserted('matomo.matomo_log_visit', visitIds.length);

  const orders = sessions.flatMap((session, s) => session.orders.map((order, o) => ({ s, o, order })));
  const orderIds = await writer.insert(SHOP.orders, ORDER_COLUMNS, orders.map(({ order }) => orderRow(order)));
  const orderIdOf = new Map(orders.map(({ s, o }, i) => [`${s}/${o}`, orderIds[i]!]));
  const itemRows = orders.flatMap(({ order }, i) => order.items.map((item) => orderItemRow(orderIds[i]!, item)));
  await writer.insert(SHOP.orderItems, ORDER_ITEM_COLUMNS, itemRows);
  tally.inserted('shop.orders', orderIds.length);
  tally.inserted('shop.order_items', itemRows.length);

  const favoriteRows: SqlRow[] = [];
  for (const session of sessions) {
    if (session.userId === null) continue;
    for (const step of session.steps) {
      if (step.kind === 'event' && step.action === EventAction.Favorite) {
        favoriteRows.push(favoriteRow(session.userId, step.datasetId, step.at));
      }
    }
  }
  await writer.insert(SHOP.favorites, FAVORITE_COLUMNS, favoriteRows);
  tally.inserted('shop.favorites', favoriteRows.length);

  const links = sessions.flatMap((session, s) => linkActionsOf(session).map((plan) => ({ s, plan })));
  const linkIds = await writer.insert(
    MATOMO.linkVisitAction,
    LINK_COLUMNS,
    links.map(({ s, plan }) => linkRow(sessions[s]!, plan, visitIds[s]!, ids)),
  );
  const linkIdOf = new Map(links.map(({ s, plan }, i) => [`${s}/${plan.stepIndex}`, linkIds[i]!]));
  tally.inserted('matomo.matomo_log_link_visit_action', linkIds.length);

  const conversionRows: SqlRow[] = [];
  const conversionItems: SqlRow[] = [];
  sessions.forEach((session, s) => {
    for (const plan of conversionsOf(session)) {
      const refs = {
        idvisit: visitIds[s]!,
        idlinkVa: linkIdOf.get(`${s}/${plan.checkoutStepIndex}`)!,
        idorder: String(orderIdOf.get(`${s}/${plan.orderIndex}`)),
      };
      conversionRows.push(conversionRow(session, summaries[s]!, plan, refs, ids));
      conversionItems.push(...conversionItemRows(session, plan, refs, ids));
    }
  });
  await writer.insert(MATOMO.conversion, CONVERSION_COLUMNS, conversionRows);
  await writer.insert(MATOMO.conversionItem, CONVERSION_ITEM_COLUMNS, conversionItems);
  tally.inserted('matomo.matomo_log_conversion', conversionRows.length);
  tally.inserted('matomo.matomo_log_conversion_item', conversionItems.length);
}
