import type { DatasetDraft } from '../domain/catalogue.js';
import type { UserDraft } from '../domain/population.js';
import type { OrderItemPlan, OrderPlan } from '../domain/session-model.js';
import type { DatasetId, OrderStatus, UserId } from '../domain/types.js';
import type { SqlRow } from './mariadb-writer.js';

/** Column lists and row builders of the shop tables (schemas/sql/shop.sql). */
export const SHOP = {
  users: 'shop.users',
  datasets: 'shop.datasets',
  orders: 'shop.orders',
  orderItems: 'shop.order_items',
  favorites: 'shop.favorites',
} as const;

export const CURRENCY = 'CNY';

/** DECIMAL(12,2) as an exact string, so no float rounding reaches the database. */
export const money = (cents: number): string => (cents / 100).toFixed(2);

export const USER_COLUMNS = ['email', 'display_name', 'company', 'industry', 'country', 'created_at', 'updated_at'] as const;

export const userRow = (user: UserDraft): SqlRow => [
  user.email,
  user.displayName,
  user.company,
  user.industry,
  user.country,
  user.createdAt,
  user.createdAt,
];

export const DATASET_COLUMNS = [
  'title',
  'description',
  'tags',
  'industry',
  'price',
  'status',
  'seller',
  'created_at',
  'updated_at',
] as const;

export const datasetRow = (dataset: DatasetDraft): SqlRow => [
  dataset.title,
  dataset.description,
  dataset.tags.join(','),
  dataset.industry,
  money(dataset.priceCents),
  dataset.status,
  dataset.seller,
  dataset.createdAt,
  dataset.createdAt,
];

export const ORDER_COLUMNS = ['user_id', 'status', 'total_amount', 'currency', 'created_at', 'paid_at', 'updated_at'] as const;

/** The order as it stands at the end of the history (bulk) or as just placed (`asPlaced`, trickle). */
export function orderRow(order: OrderPlan, asPlaced = false): SqlRow {
  const status: OrderStatus = asPlaced ? 'pending' : order.status;
  return [
    order.userId,
    status,
    money(order.totalCents),
    CURRENCY,
    order.createdAt,
    asPlaced ? null : order.paidAt,
    asPlaced ? order.createdAt : order.settledAt,
  ];
}

export const ORDER_ITEM_COLUMNS = ['order_id', 'dataset_id', 'price', 'quantity'] as const;

export const orderItemRow = (orderId: number, item: OrderItemPlan): SqlRow => [
  orderId,
  item.datasetId,
  money(item.priceCents),
  item.quantity,
];

export const FAVORITE_COLUMNS = ['user_id', 'dataset_id', 'created_at'] as const;

export const favoriteRow = (userId: UserId, datasetId: DatasetId, at: Date): SqlRow => [userId, datasetId, at];
