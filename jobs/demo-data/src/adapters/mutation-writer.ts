import type { RowDataPacket } from 'mysql2/promise';
import type { CatalogueMutation, TrickleMutation } from '../domain/mutations.js';
import type { ChangeTally } from '../domain/tally.js';
import { OrderStatus, asDatasetId, asUserId } from '../domain/types.js';
import type { MutationOutcome } from '../trickle.js';
import type { MariaDbWriter } from './mariadb-writer.js';
import { DATASET_COLUMNS, SHOP, USER_COLUMNS, datasetRow, money, userRow } from './shop-rows.js';

/** UPDATE / DELETE of one dataset; counted only when a row actually changed. */
export async function applyCatalogueMutation(writer: MariaDbWriter, mutation: CatalogueMutation, tally: ChangeTally): Promise<boolean> {
  switch (mutation.kind) {
    case 'price': {
      const result = await writer.run(`UPDATE ${SHOP.datasets} SET price = ? WHERE id = ?`, [money(mutation.priceCents), mutation.datasetId]);
      if (result.changedRows > 0) tally.updated('shop.datasets', mutation.datasetId);
      return result.affectedRows > 0;
    }
    case 'status': {
      const result = await writer.run(`UPDATE ${SHOP.datasets} SET status = ? WHERE id = ?`, [mutation.status, mutation.datasetId]);
      // An UPDATE that changes nothing leaves no binlog event, so it is not counted as an update.
      if (result.changedRows > 0) tally.updated('shop.datasets', mutation.datasetId);
      return result.affectedRows > 0;
    }
    case 'delete': {
      const result = await writer.run(`DELETE FROM ${SHOP.datasets} WHERE id = ?`, [mutation.datasetId]);
      if (result.affectedRows > 0) tally.deleted('shop.datasets', mutation.datasetId);
      return result.affectedRows > 0;
    }
  }
}

interface IdRow extends RowDataPacket {
  id: number;
}

/** A trickle change; refunds and un-favourites pick their target among recent rows. */
export async function applyTrickleMutation(
  writer: MariaDbWriter,
  mutation: TrickleMutation,
  at: Date,
  tally: ChangeTally,
): Promise<MutationOutcome> {
  switch (mutation.kind) {
    case 'new-dataset': {
      const draft = { ...mutation.draft, createdAt: at };
      const [id] = await writer.insert(SHOP.datasets, DATASET_COLUMNS, [datasetRow(draft)]);
      if (id === undefined) return { kind: 'skipped' };
      tally.inserted('shop.datasets', 1);
      return { kind: 'dataset', dataset: { ...draft, id: asDatasetId(id) } };
    }
    case 'signup': {
      const draft = { ...mutation.draft, createdAt: at };
      const [id] = await writer.insert(SHOP.users, USER_COLUMNS, [userRow(draft)]);
      if (id === undefined) return { kind: 'skipped' };
      tally.inserted('shop.users', 1);
      return { kind: 'user', user: { ...draft, id: asUserId(id) } };
    }
    case 'refund': {
      const [order] = await writer.select<IdRow>(
        `SELECT id FROM ${SHOP.orders} WHERE status = ? ORDER BY id DESC LIMIT 1 OFFSET ?`,
        [OrderStatus.Paid, mutation.pick],
      );
      if (!order) return { kind: 'skipped' };
      const result = await writer.run(`UPDATE ${SHOP.orders} SET status = ?, updated_at = ? WHERE id = ?`, [
        OrderStatus.Refunded,
        at,
        order.id,
      ]);
      if (result.changedRows > 0) tally.updated('shop.orders', order.id);
      return { kind: 'applied' };
    }
    case 'unfavorite': {
      const [favorite] = await writer.select<IdRow>(`SELECT id FROM ${SHOP.favorites} ORDER BY id DESC LIMIT 1 OFFSET ?`, [mutation.pick]);
      if (!favorite) return { kind: 'skipped' };
      await writer.run(`DELETE FROM ${SHOP.favorites} WHERE id = ?`, [favorite.id]);
      tally.deleted('shop.favorites', favorite.id);
      return { kind: 'applied' };
    }
    default:
      return (await applyCatalogueMutation(writer, mutation, tally)) ? { kind: 'applied' } : { kind: 'skipped' };
  }
}
