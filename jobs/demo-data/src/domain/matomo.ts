import { crc32 } from './hash.js';
import type { DatasetId } from './types.js';
import { industryOf } from './vocab/index.js';

/** Matomo's action types (core/Tracker/Action.php), as stored in log_action.type. */
export const ActionType = {
  PageUrl: 1,
  Outlink: 2,
  Download: 3,
  PageTitle: 4,
  EcommerceItemSku: 5,
  EcommerceItemName: 6,
  EcommerceItemCategory: 7,
  SiteSearch: 8,
  EventCategory: 10,
  EventAction: 11,
  EventName: 12,
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];

/**
 * URL prefixes Matomo strips before storing a page URL (core/Tracker/PageUrl.php $urlPrefixMap);
 * the longer 'www.' forms are tried first.
 */
const URL_PREFIXES: readonly (readonly [string, number])[] = [
  ['http://www.', 1],
  ['http://', 0],
  ['https://www.', 3],
  ['https://', 2],
];

/** One log_action row, identified as Matomo does by (type, name); hash = CRC32(name). */
export interface ActionKey {
  readonly type: ActionType;
  readonly name: string;
  readonly urlPrefix: number | null;
}

export const actionKeyId = (key: ActionKey): string => `${key.type}\u0000${key.name}`;
export const actionHash = (key: ActionKey): number => crc32(key.name);

export function pageUrlAction(url: string): ActionKey {
  for (const [prefix, id] of URL_PREFIXES) {
    if (url.startsWith(prefix)) return { type: ActionType.PageUrl, name: url.slice(prefix.length), urlPrefix: id };
  }
  return { type: ActionType.PageUrl, name: url, urlPrefix: null };
}

export const namedAction = (type: ActionType, name: string): ActionKey => ({ type, name, urlPrefix: null });

export const MATOMO_SITE = { idsite: 1, baseUrl: 'https://market.example.com', name: 'DataMarket' } as const;

/** Matomo's idgoal for an ecommerce order (GoalManager::IDGOAL_ORDER). */
export const IDGOAL_ECOMMERCE_ORDER = 0;

/** Values of log_visit.visit_goal_buyer (GoalManager::TYPE_BUYER_*). */
export const BuyerType = { None: 0, Ordered: 1, OpenCart: 2, OrderedAndOpenCart: 3 } as const;
export type BuyerType = (typeof BuyerType)[keyof typeof BuyerType];

export const EVENT_CATEGORY = 'dataset';
export const EventAction = {
  Click: 'click',
  Download: 'download',
  Favorite: 'favorite',
  AddToCart: 'add_to_cart',
} as const;
export type EventAction = (typeof EventAction)[keyof typeof EventAction];

export const datasetSku = (id: DatasetId): string => `DS-${id}`;

/** A storefront page a visitor can be on; `datasetId` is set on dataset detail pages. */
export interface Page {
  readonly url: string;
  readonly title: string;
  readonly datasetId: DatasetId | null;
}

const SUFFIX = ` - ${MATOMO_SITE.name}`;

export const Pages = {
  home: (): Page => ({ url: `${MATOMO_SITE.baseUrl}/`, title: `${MATOMO_SITE.name} 数据市场 - 首页`, datasetId: null }),
  industry: (industryKey: string): Page => {
    const label = industryOf(industryKey)?.label;
    const title = label ? `${label.zh} ${label.en} datasets${SUFFIX}` : `${industryKey}${SUFFIX}`;
    return { url: `${MATOMO_SITE.baseUrl}/industries/${industryKey}`, title, datasetId: null };
  },
  dataset: (id: DatasetId, title: string): Page => ({
    url: `${MATOMO_SITE.baseUrl}/datasets/${id}`,
    title: `${title}${SUFFIX}`,
    datasetId: id,
  }),
  cart: (): Page => ({ url: `${MATOMO_SITE.baseUrl}/cart`, title: `购物车 Cart${SUFFIX}`, datasetId: null }),
  checkout: (): Page => ({ url: `${MATOMO_SITE.baseUrl}/checkout`, title: `结算 Checkout${SUFFIX}`, datasetId: null }),
  library: (): Page => ({ url: `${MATOMO_SITE.baseUrl}/account/library`, title: `我的数据 My datasets${SUFFIX}`, datasetId: null }),
} as const;
