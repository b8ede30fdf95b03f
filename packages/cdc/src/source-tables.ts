/** The captured tables this processor understands, keyed by their `cdc.<db>.<table>` topic. */
export const SourceTable = {
  ShopUsers: 'shop.users',
  ShopDatasets: 'shop.datasets',
  ShopOrders: 'shop.orders',
  ShopOrderItems: 'shop.order_items',
  ShopFavorites: 'shop.favorites',
  MatomoVisit: 'matomo.matomo_log_visit',
  MatomoLinkVisitAction: 'matomo.matomo_log_link_visit_action',
  MatomoAction: 'matomo.matomo_log_action',
  MatomoConversion: 'matomo.matomo_log_conversion',
  MatomoConversionItem: 'matomo.matomo_log_conversion_item',
} as const;
export type SourceTable = (typeof SourceTable)[keyof typeof SourceTable];

const CDC_TOPIC_PREFIX = 'cdc.';
const tables: ReadonlySet<string> = new Set(Object.values(SourceTable));

export function cdcTopicOf(table: SourceTable): string {
  return `${CDC_TOPIC_PREFIX}${table}`;
}

/** Every topic the adapter subscribes to. */
export const cdcTopics: readonly string[] = Object.values(SourceTable).map(cdcTopicOf);

export function tableOfTopic(topic: string): SourceTable | undefined {
  if (!topic.startsWith(CDC_TOPIC_PREFIX)) return undefined;
  const table = topic.slice(CDC_TOPIC_PREFIX.length);
  return tables.has(table) ? (table as SourceTable) : undefined;
}
