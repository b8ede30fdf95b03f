import { randomBytes } from 'node:crypto';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';

/** What `writeShopRows` / `writeMatomoRows` inserted, and the interaction ids the normaliser must derive from them. */
export interface ShopRows {
  readonly datasetId: number;
  readonly userId: number;
  readonly orderId: number;
  readonly eventIds: readonly string[];
}

const insert = async (db: Connection, sql: string, values: (string | number)[]): Promise<number> => {
  const [result] = await db.execute<ResultSetHeader>(sql, values);
  return result.insertId;
};

/** A listed dataset, a user (`userId` given: with that id), a pending order with one item turned paid, and a favourite. */
export async function writeShopRows(shop: Connection, suffix: string, options: { readonly userId?: number } = {}): Promise<ShopRows> {
  const datasetId = await insert(
    shop,
    `INSERT INTO datasets (title, description, tags, industry, price, status, seller) VALUES (?, 'normalize test', 'test,normalize', 'finance', 12.50, 'listed', ?)`,
    [`normalize test ${suffix}`, `seller-${suffix}`],
  );
  const userId =
    options.userId === undefined
      ? await insert(shop, `INSERT INTO users (email, display_name, industry, country) VALUES (?, ?, 'finance', 'DE')`, [`normalize-${suffix}@example.com`, `Test ${suffix}`])
      : (await insert(shop, `INSERT INTO users (id, email, display_name, industry, country) VALUES (?, ?, ?, 'finance', 'DE')`, [options.userId, `normalize-${suffix}@example.com`, `Test ${suffix}`]), options.userId);
  const orderId = await insert(shop, `INSERT INTO orders (user_id, status, total_amount) VALUES (?, 'pending', 12.50)`, [userId]);
  const orderItemId = await insert(shop, `INSERT INTO order_items (order_id, dataset_id, price, quantity) VALUES (?, ?, 12.50, 1)`, [orderId, datasetId]);
  await shop.execute(`UPDATE orders SET status = 'paid', paid_at = UTC_TIMESTAMP(3) WHERE id = ?`, [orderId]);
  const favorite = await writeFavorite(shop, userId, datasetId);
  return { datasetId, userId, orderId, eventIds: [`shop:order_items:${orderItemId}`, favorite] };
}

/** Inserts a favourite and returns the event id the normaliser gives it. */
export async function writeFavorite(shop: Connection, userId: number, datasetId: number): Promise<string> {
  const id = await insert(shop, `INSERT INTO favorites (user_id, dataset_id) VALUES (?, ?)`, [userId, datasetId]);
  const [rows] = await shop.execute<RowDataPacket[]>(`SELECT created_at FROM favorites WHERE id = ?`, [id]);
  const createdAt = (rows[0] as { created_at: Date }).created_at;
  return `shop:favorites:${id}:${createdAt.getTime()}`;
}

/**
 * The test's own log_action rows (page URL, event category/action/name), a visit logged in as the
 * user, a page view of the dataset page and a download event sent from it.
 */
export async function writeMatomoRows(matomo: Connection, datasetId: number, userId: number): Promise<{ eventIds: readonly string[]; visitor: string }> {
  const action = (name: string, type: number): Promise<number> => insert(matomo, `INSERT INTO matomo_log_action (name, hash, type) VALUES (?, CRC32(?), ?)`, [name, name, type]);
  const page = await action(`market.example.com/datasets/${datasetId}`, 1);
  const category = await action('dataset', 10);
  const download = await action('download', 11);
  const name = await action(String(datasetId), 12);
  const visitor = randomBytes(8).toString('hex');
  const visit = await insert(
    matomo,
    `INSERT INTO matomo_log_visit (idsite, idvisitor, visit_last_action_time, config_id, location_ip, user_id, visit_first_action_time, visit_total_time)
     VALUES (1, UNHEX(?), UTC_TIMESTAMP(), UNHEX(?), UNHEX('7f000001'), ?, UTC_TIMESTAMP(), 0)`,
    [visitor, visitor, String(userId)],
  );
  const view = await insert(
    matomo,
    `INSERT INTO matomo_log_link_visit_action (idsite, idvisitor, idvisit, server_time, idaction_url, pageview_position) VALUES (1, UNHEX(?), ?, UTC_TIMESTAMP(), ?, 1)`,
    [visitor, visit, page],
  );
  const event = await insert(
    matomo,
    `INSERT INTO matomo_log_link_visit_action (idsite, idvisitor, idvisit, server_time, idaction_url, idaction_name, idaction_event_category, idaction_event_action)
     VALUES (1, UNHEX(?), ?, UTC_TIMESTAMP(), ?, ?, ?, ?)`,
    [visitor, visit, page, name, category, download],
  );
  return { eventIds: [`matomo:lva:${view}`, `matomo:lva:${event}`], visitor };
}
