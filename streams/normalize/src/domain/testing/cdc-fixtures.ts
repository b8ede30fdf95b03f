/**
 * Builders of `cdc.*` records shaped exactly like the connector writes them (see the sample
 * envelopes in test/integration/cdc-envelopes.test.ts): JSON converter without schemas, DECIMAL as
 * string, BINARY as hex, DATETIME as epoch ms, source with binlog file/pos. Test support only.
 */
import type { CdcInput } from '../normalizer.js';
import { cdcTopicOf, type SourceTable } from '@streamrec/cdc';

type Row = Record<string, unknown>;
type Op = 'c' | 'u' | 'd' | 'r';

export const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
export const VISITOR = 'a1b2c3d4e5f60718';
export const OTHER_VISITOR = '0011223344556677';

/** A fresh binlog: every record built gets a later position, unless one is given. */
export function cdcFixture(file = 'binlog.000001') {
  let pos = 4;
  const record = (table: SourceTable, op: Op, before: Row | null, after: Row | null, at?: { file?: string; pos?: number; tsMs?: number }): CdcInput => {
    pos += 100;
    return {
      topic: cdcTopicOf(table),
      value: {
        before,
        after,
        source: {
          version: '3.5.0.Final',
          connector: 'mariadb',
          name: 'cdc',
          ts_ms: at?.tsMs ?? T0,
          snapshot: op === 'r' ? 'true' : 'false',
          db: table.split('.')[0],
          table: table.split('.')[1],
          server_id: 1,
          file: at?.file ?? file,
          pos: at?.pos ?? pos,
          row: 0,
        },
        transaction: null,
        op,
        ts_ms: (at?.tsMs ?? T0) + 5,
      },
    };
  };
  return {
    create: (table: SourceTable, after: Row, at?: { file?: string; pos?: number; tsMs?: number }) => record(table, 'c', null, after, at),
    read: (table: SourceTable, after: Row, at?: { file?: string; pos?: number; tsMs?: number }) => record(table, 'r', null, after, at),
    update: (table: SourceTable, before: Row, after: Row, at?: { file?: string; pos?: number; tsMs?: number }) => record(table, 'u', before, after, at),
    delete: (table: SourceTable, before: Row, at?: { file?: string; pos?: number; tsMs?: number }) => record(table, 'd', before, null, at),
    tombstone: (table: SourceTable): CdcInput => ({ topic: cdcTopicOf(table), value: null }),
  };
}

export const Rows = {
  action: (idaction: number, type: number, name: string): Row => ({
    idaction,
    name,
    hash: -253851741,
    type,
    url_prefix: type === 1 ? 2 : null,
  }),
  visit: (over: Row = {}): Row => ({
    idvisit: 7,
    idsite: 1,
    idvisitor: VISITOR,
    visit_last_action_time: T0,
    config_id: '4c2adc96797f9f3c',
    user_id: null,
    visit_first_action_time: T0,
    visit_total_actions: 1,
    ...over,
  }),
  pageview: (idlinkVa: number, idactionUrl: number, over: Row = {}): Row => ({
    idlink_va: idlinkVa,
    idsite: 1,
    idvisitor: VISITOR,
    idvisit: 7,
    idaction_url_ref: 0,
    idaction_name_ref: null,
    custom_float: null,
    pageview_position: 1,
    server_time: T0,
    idpageview: 'EqSPJ0',
    idaction_name: 9999,
    idaction_url: idactionUrl,
    idaction_product_sku: null,
    idaction_event_action: null,
    idaction_event_category: null,
    time_spent: null,
    ...over,
  }),
  event: (idlinkVa: number, refs: { category: number; action: number; name: number | null; url?: number }, over: Row = {}): Row =>
    Rows.pageview(idlinkVa, refs.url ?? 0, {
      pageview_position: null,
      idaction_name: refs.name,
      idaction_event_category: refs.category,
      idaction_event_action: refs.action,
      ...over,
    }),
  conversionItem: (over: Row = {}): Row => ({
    idsite: 1,
    idvisitor: VISITOR,
    server_time: T0,
    idvisit: 7,
    idorder: '31',
    idaction_sku: 500,
    idaction_name: 501,
    idaction_category: 502,
    price: 999.0,
    quantity: 1,
    deleted: 0,
    ...over,
  }),
  order: (id: number, status: string, over: Row = {}): Row => ({
    id,
    user_id: 289,
    status,
    total_amount: '2298.00',
    currency: 'CNY',
    created_at: T0 - 60_000,
    paid_at: status === 'paid' || status === 'refunded' ? T0 : null,
    updated_at: T0,
    ...over,
  }),
  orderItem: (id: number, orderId: number, datasetId: number, over: Row = {}): Row => ({
    id,
    order_id: orderId,
    dataset_id: datasetId,
    price: '999.00',
    quantity: 1,
    ...over,
  }),
  favorite: (id: number, over: Row = {}): Row => ({ id, user_id: 227, dataset_id: 492, created_at: T0, ...over }),
  dataset: (id: number, over: Row = {}): Row => ({
    id,
    title: 'A股日线行情 2015-2024',
    description: '测试描述 test description',
    tags: 'finance,stock,china,ohlcv,daily',
    industry: 'finance',
    price: '199.90',
    status: 'listed',
    seller: 'seller-1',
    created_at: T0 - 86_400_000,
    updated_at: T0,
    ...over,
  }),
  user: (id: number, over: Row = {}): Row => ({
    id,
    email: 'xu85.1@qq.com',
    display_name: '徐娟',
    company: '深圳智联科技有限公司',
    industry: 'healthcare',
    country: 'CN',
    created_at: T0 - 86_400_000,
    updated_at: T0,
    ...over,
  }),
};

/** Matomo action ids the scenarios share: the storefront's event vocabulary and a few pages. */
export const Actions = {
  datasetPage42: { id: 100, type: 1, name: 'market.example.com/datasets/42' },
  homePage: { id: 101, type: 1, name: 'market.example.com/' },
  badDatasetPage: { id: 102, type: 1, name: 'market.example.com/datasets/latest' },
  pageTitle: { id: 103, type: 4, name: 'A股日线行情 2015-2024 - DataMarket' },
  category: { id: 200, type: 10, name: 'dataset' },
  videoCategory: { id: 201, type: 10, name: 'video' },
  download: { id: 210, type: 11, name: 'download' },
  favorite: { id: 211, type: 11, name: 'favorite' },
  addToCart: { id: 212, type: 11, name: 'add_to_cart' },
  click: { id: 213, type: 11, name: 'click' },
  share: { id: 214, type: 11, name: 'share' },
  name42: { id: 300, type: 12, name: '42' },
  nameNotAnId: { id: 301, type: 12, name: 'hero-banner' },
  sku42: { id: 500, type: 5, name: 'DS-42' },
  skuOther: { id: 501, type: 5, name: 'SUBSCRIPTION-1' },
} as const;

export type ActionFixture = (typeof Actions)[keyof typeof Actions];

export const actionRow = (action: ActionFixture): Row => Rows.action(action.id, action.type, action.name);
