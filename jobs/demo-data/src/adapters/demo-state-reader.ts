import type { RowDataPacket } from 'mysql2/promise';
import type { BulkState } from '../bulk.js';
import type { Dataset } from '../domain/catalogue.js';
import { MATOMO_SITE } from '../domain/matomo.js';
import type { User } from '../domain/population.js';
import { NO_HISTORY } from '../domain/session-model.js';
import { TRACKED_TABLES } from '../domain/tally.js';
import { OrderStatus, asDatasetId, asUserId, type DatasetId, type DatasetStatus, type UserId } from '../domain/types.js';
import type { VisitorProfile } from '../domain/visitor.js';
import type { TrafficWorld } from '../traffic-ports.js';
import type { TrickleWorld, VisitorState } from '../trickle.js';
import type { MariaDbWriter } from './mariadb-writer.js';
import { MATOMO } from './matomo-rows.js';
import { SHOP } from './shop-rows.js';

interface MaxRow extends RowDataPacket {
  maxId: number | null;
}

async function maxId(writer: MariaDbWriter, table: string, column: string): Promise<number> {
  const [row] = await writer.select<MaxRow>(`SELECT MAX(${column}) AS maxId FROM ${table}`);
  return Number(row?.maxId ?? 0);
}

export async function readBulkState(writer: MariaDbWriter): Promise<BulkState> {
  const nonEmptyTables: string[] = [];
  for (const table of TRACKED_TABLES) {
    const rows = await writer.select<RowDataPacket>(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length > 0) nonEmptyTables.push(table);
  }
  return {
    nonEmptyTables,
    maxUserId: await maxId(writer, SHOP.users, 'id'),
    maxDatasetId: await maxId(writer, SHOP.datasets, 'id'),
  };
}

interface DatasetRow extends RowDataPacket {
  id: number;
  title: string;
  tags: string;
  industry: string;
  price: number;
  status: DatasetStatus;
  seller: string;
  created_at: Date;
}

interface UserRow extends RowDataPacket {
  id: number;
  email: string;
  display_name: string;
  company: string | null;
  industry: string | null;
  country: string | null;
  created_at: Date;
}

interface CountRow extends RowDataPacket {
  name: string;
  views: number;
}

const DATASET_SELECT = `SELECT id, title, tags, industry, price, status, seller, created_at FROM ${SHOP.datasets}`;

const datasetOf = (row: DatasetRow): Dataset => ({
  id: asDatasetId(Number(row.id)),
  title: row.title,
  description: '',
  tags: row.tags.split(',').filter((tag) => tag !== ''),
  industry: row.industry,
  priceCents: Math.round(Number(row.price) * 100),
  status: row.status,
  seller: row.seller,
  createdAt: row.created_at,
});

/** Listed and unlisted datasets (unlisted ones may be listed again). */
async function readDatasets(writer: MariaDbWriter): Promise<Dataset[]> {
  const rows = await writer.select<DatasetRow>(`${DATASET_SELECT} WHERE status IN ('listed', 'unlisted')`);
  return rows.map(datasetOf);
}

/** Datasets by id, whatever their status; ids the shop does not have are left out. */
export async function findDatasets(writer: MariaDbWriter, ids: readonly DatasetId[]): Promise<Dataset[]> {
  if (ids.length === 0) return [];
  const rows = await writer.select<DatasetRow>(`${DATASET_SELECT} WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
  return rows.map(datasetOf);
}

async function readUsers(writer: MariaDbWriter): Promise<User[]> {
  const rows = await writer.select<UserRow>(`SELECT id, email, display_name, company, industry, country, created_at FROM ${SHOP.users}`);
  return rows.map((row) => ({
    id: asUserId(Number(row.id)),
    email: row.email,
    displayName: row.display_name,
    company: row.company,
    industry: row.industry ?? '',
    country: row.country ?? 'CN',
    createdAt: row.created_at,
  }));
}

/** The accounts and the catalogue, for a traffic run. */
export async function loadTrafficWorld(writer: MariaDbWriter): Promise<TrafficWorld> {
  return { users: await readUsers(writer), datasets: await readDatasets(writer) };
}

/** The catalogue, the accounts and how popular each dataset has been, for a trickle run. */
export async function loadTrickleWorld(writer: MariaDbWriter): Promise<TrickleWorld> {
  const datasets = await readDatasets(writer);
  const users = await readUsers(writer);
  // Past dataset page views, via the ecommerce product SKU Matomo stored with each view.
  const counts = await writer.select<CountRow>(
    `SELECT a.name AS name, COUNT(*) AS views FROM ${MATOMO.linkVisitAction} l
       JOIN matomo.matomo_log_action a ON a.idaction = l.idaction_product_sku
      WHERE l.idaction_product_sku IS NOT NULL GROUP BY a.name`,
  );
  const popularity = new Map<DatasetId, number>();
  for (const row of counts) {
    const id = /^DS-(\d+)$/.exec(row.name)?.[1];
    if (id !== undefined) popularity.set(asDatasetId(Number(id)), Number(row.views));
  }
  return {
    datasets,
    users,
    popularity,
    maxUserId: await maxId(writer, SHOP.users, 'id'),
    maxVisitId: await maxId(writer, MATOMO.visit, 'idvisit'),
  };
}

interface HistoryRow extends RowDataPacket {
  visits: number;
  firstAt: Date | null;
  lastAt: Date | null;
}

interface IdRow extends RowDataPacket {
  id: number | null;
  at?: Date | null;
}

/** What Matomo and the shop already know about a visitor and (when logged in) their account. */
export async function readVisitorState(writer: MariaDbWriter, visitor: VisitorProfile, userId: UserId | null): Promise<VisitorState> {
  const [history] = await writer.select<HistoryRow>(
    `SELECT COUNT(*) AS visits, MIN(visit_first_action_time) AS firstAt, MAX(visit_last_action_time) AS lastAt
       FROM ${MATOMO.visit} WHERE idsite = ? AND idvisitor = ?`,
    [MATOMO_SITE.idsite, Buffer.from(visitor.idvisitor)],
  );
  const base = {
    visitCount: Number(history?.visits ?? 0),
    firstVisitAt: history?.firstAt ?? null,
    lastVisitAt: history?.lastAt ?? null,
  };
  if (userId === null) return { history: { ...NO_HISTORY, ...base }, owned: new Set(), favorites: new Set() };
  const [lastOrder] = await writer.select<IdRow>(
    `SELECT MAX(paid_at) AS at, NULL AS id FROM ${SHOP.orders} WHERE user_id = ? AND paid_at IS NOT NULL`,
    [userId],
  );
  const owned = await writer.select<IdRow>(
    `SELECT DISTINCT i.dataset_id AS id FROM ${SHOP.orderItems} i JOIN ${SHOP.orders} o ON o.id = i.order_id
      WHERE o.user_id = ? AND o.status = ?`,
    [userId, OrderStatus.Paid],
  );
  const favorites = await writer.select<IdRow>(`SELECT dataset_id AS id FROM ${SHOP.favorites} WHERE user_id = ?`, [userId]);
  const ids = (rows: readonly IdRow[]): Set<DatasetId> => new Set(rows.map((row) => asDatasetId(Number(row.id))));
  return {
    history: { ...base, lastOrderAt: lastOrder?.at ?? null },
    owned: ids(owned),
    favorites: ids(favorites),
  };
}
