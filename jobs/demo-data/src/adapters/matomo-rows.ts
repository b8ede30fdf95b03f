import { createHash } from 'node:crypto';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ConversionPlan, LinkActionPlan } from '../domain/matomo-actions.js';
import type { VisitSummary } from '../domain/matomo-visit.js';
import {
  ActionType,
  IDGOAL_ECOMMERCE_ORDER,
  MATOMO_SITE,
  actionKeyId,
  namedAction,
  pageUrlAction,
  type ActionKey,
  type Page,
} from '../domain/matomo.js';
import type { SessionRecord } from '../domain/session-model.js';
import { MS_PER_SECOND } from '../domain/types.js';
import type { SqlRow, SqlValue } from './mariadb-writer.js';

/** Column lists and row builders of the Matomo log tables (schemas/sql/matomo.sql). */
export const MATOMO = {
  visit: 'matomo.matomo_log_visit',
  linkVisitAction: 'matomo.matomo_log_link_visit_action',
  conversion: 'matomo.matomo_log_conversion',
  conversionItem: 'matomo.matomo_log_conversion_item',
} as const;

export type ActionIds = ReadonlyMap<string, number>;

export function idOf(ids: ActionIds, key: ActionKey): number {
  const id = ids.get(actionKeyId(key));
  if (id === undefined) throw new AppError(ErrorCode.InvalidArgument, `log_action not resolved: type ${key.type} '${key.name}'`);
  return id;
}

const optionalId = (ids: ActionIds, key: ActionKey | null): number | null => (key ? idOf(ids, key) : null);

/** Matomo's DATETIME columns hold whole seconds (UTC). */
export const matomoTime = (at: Date): Date => new Date(Math.floor(at.getTime() / MS_PER_SECOND) * MS_PER_SECOND);

/** log_conversion.buster of an order: Common::hashStringToInt(idorder) = first 32 bits of md5. */
export const orderBuster = (idorder: string): number =>
  Number.parseInt(createHash('md5').update(idorder).digest('hex').slice(0, 8), 16);

const bytes = (value: Uint8Array): Buffer => Buffer.from(value);
const pageUrlId = (ids: ActionIds, page: Page | null): number | null => (page ? idOf(ids, pageUrlAction(page.url)) : null);
const pageTitleId = (ids: ActionIds, page: Page | null): number | null =>
  page ? idOf(ids, namedAction(ActionType.PageTitle, page.title)) : null;

/** The visit columns that change while a visit goes on (UPDATE after each action). */
export const VISIT_PROGRESS_COLUMNS = [
  'visit_last_action_time',
  'visit_goal_buyer',
  'visit_goal_converted',
  'visit_exit_idaction_name',
  'visit_exit_idaction_url',
  'visit_total_actions',
  'visit_total_interactions',
  'visit_total_events',
  'visit_total_time',
  'last_idlink_va',
] as const;

export function visitProgressValues(summary: VisitSummary, ids: ActionIds, lastIdlinkVa: number | null): SqlValue[] {
  return [
    matomoTime(summary.lastActionAt),
    summary.buyer,
    summary.goalConverted ? 1 : 0,
    pageTitleId(ids, summary.exit),
    pageUrlId(ids, summary.exit) ?? 0,
    summary.totalActions,
    summary.totalInteractions,
    summary.totalEvents,
    summary.totalTimeSeconds,
    lastIdlinkVa,
  ];
}

export const VISIT_COLUMNS = [
  'idsite', 'idvisitor', 'config_id', 'location_ip', 'profilable', 'user_id', 'visit_first_action_time',
  'visitor_returning', 'visitor_seconds_since_first', 'visitor_seconds_since_order', 'visitor_count_visits',
  'visitor_seconds_since_last', 'visitor_localtime', 'visit_entry_idaction_name', 'visit_entry_idaction_url',
  'visit_total_searches', 'referer_keyword', 'referer_name', 'referer_type', 'referer_url', 'location_browser_lang',
  'config_browser_engine', 'config_browser_name', 'config_browser_version', 'config_client_type', 'config_device_brand',
  'config_device_model', 'config_device_type', 'config_os', 'config_os_version', 'config_resolution', 'config_cookie',
  'config_flash', 'config_java', 'config_pdf', 'config_quicktime', 'config_realplayer', 'config_silverlight',
  'config_windowsmedia', 'location_city', 'location_country', 'location_latitude', 'location_longitude', 'location_region',
  ...VISIT_PROGRESS_COLUMNS,
] as const;

export function visitRow(session: SessionRecord, summary: VisitSummary, ids: ActionIds, lastIdlinkVa: number | null): SqlRow {
  const { visitor, referrer } = session;
  const { device } = visitor;
  return [
    MATOMO_SITE.idsite,
    bytes(visitor.idvisitor),
    bytes(visitor.configId),
    bytes(visitor.ip),
    1,
    session.userId === null ? null : String(session.userId),
    matomoTime(summary.firstActionAt),
    summary.returning,
    summary.secondsSinceFirst,
    summary.secondsSinceOrder,
    summary.countVisits,
    summary.secondsSinceLast,
    summary.localTime,
    pageTitleId(ids, summary.entry),
    pageUrlId(ids, summary.entry),
    0,
    referrer.keyword,
    referrer.name,
    referrer.type,
    referrer.url,
    visitor.browserLang,
    device.browserEngine,
    device.browser,
    visitor.browserVersion,
    1,
    device.brand,
    device.model,
    device.deviceType,
    device.os,
    visitor.osVersion,
    visitor.resolution,
    1, 0, 0, 1, 0, 0, 0, 0,
    visitor.city.name,
    visitor.country.code,
    visitor.city.lat.toFixed(6),
    visitor.city.lon.toFixed(6),
    visitor.city.region,
    ...visitProgressValues(summary, ids, lastIdlinkVa),
  ];
}

export const LINK_COLUMNS = [
  'idsite', 'idvisitor', 'idvisit', 'idaction_url_ref', 'idaction_name_ref', 'custom_float', 'pageview_position',
  'server_time', 'idpageview', 'idaction_name', 'idaction_url', 'time_spent_ref_action', 'idaction_product_cat',
  'idaction_product_name', 'product_price', 'idaction_product_sku', 'idaction_event_action', 'idaction_event_category',
  'time_spent',
] as const;

export function linkRow(session: SessionRecord, plan: LinkActionPlan, idvisit: number, ids: ActionIds): SqlRow {
  return [
    MATOMO_SITE.idsite,
    bytes(session.visitor.idvisitor),
    idvisit,
    optionalId(ids, plan.urlRef) ?? 0,
    optionalId(ids, plan.nameRef),
    plan.customFloat,
    plan.pageviewPosition,
    matomoTime(plan.serverTime),
    plan.pageviewId,
    idOf(ids, plan.name),
    idOf(ids, plan.url),
    plan.timeSpentRefAction,
    optionalId(ids, plan.product?.category ?? null),
    optionalId(ids, plan.product?.name ?? null),
    plan.product?.price ?? null,
    optionalId(ids, plan.product?.sku ?? null),
    optionalId(ids, plan.eventAction),
    optionalId(ids, plan.eventCategory),
    plan.timeSpent,
  ];
}

export const CONVERSION_COLUMNS = [
  'idvisit', 'idsite', 'idvisitor', 'server_time', 'idaction_url', 'idlink_va', 'idgoal', 'buster', 'idorder', 'items',
  'url', 'revenue', 'revenue_shipping', 'revenue_subtotal', 'revenue_tax', 'revenue_discount', 'pageviews_before',
  'visitor_returning', 'visitor_seconds_since_first', 'visitor_seconds_since_order', 'visitor_count_visits',
  'referer_keyword', 'referer_name', 'referer_type', 'config_browser_name', 'config_client_type', 'config_device_brand',
  'config_device_model', 'config_device_type', 'location_city', 'location_country', 'location_latitude',
  'location_longitude', 'location_region',
] as const;

export interface ConversionRefs {
  readonly idvisit: number;
  readonly idlinkVa: number;
  /** The shop order id: log_conversion.idorder, so analytics and orders join. */
  readonly idorder: string;
}

export function conversionRow(
  session: SessionRecord,
  summary: VisitSummary,
  plan: ConversionPlan,
  refs: ConversionRefs,
  ids: ActionIds,
): SqlRow {
  const { visitor, referrer } = session;
  return [
    refs.idvisit,
    MATOMO_SITE.idsite,
    bytes(visitor.idvisitor),
    matomoTime(plan.serverTime),
    idOf(ids, plan.url),
    refs.idlinkVa,
    IDGOAL_ECOMMERCE_ORDER,
    orderBuster(refs.idorder),
    refs.idorder,
    plan.items.reduce((sum, item) => sum + item.quantity, 0),
    plan.urlText,
    plan.revenue,
    null,
    plan.revenue,
    null,
    null,
    plan.pageviewsBefore,
    summary.returning,
    summary.secondsSinceFirst,
    summary.secondsSinceOrder,
    summary.countVisits,
    referrer.keyword,
    referrer.name,
    referrer.type,
    visitor.device.browser,
    1,
    visitor.device.brand,
    visitor.device.model,
    visitor.device.deviceType,
    visitor.city.name,
    visitor.country.code,
    visitor.city.lat.toFixed(6),
    visitor.city.lon.toFixed(6),
    visitor.city.region,
  ];
}

export const CONVERSION_ITEM_COLUMNS = [
  'idsite', 'idvisitor', 'server_time', 'idvisit', 'idorder', 'idaction_sku', 'idaction_name', 'idaction_category',
  'idaction_category2', 'idaction_category3', 'idaction_category4', 'idaction_category5', 'price', 'quantity', 'deleted',
] as const;

export function conversionItemRows(session: SessionRecord, plan: ConversionPlan, refs: ConversionRefs, ids: ActionIds): SqlRow[] {
  return plan.items.map((item) => [
    MATOMO_SITE.idsite,
    bytes(session.visitor.idvisitor),
    matomoTime(plan.serverTime),
    refs.idvisit,
    refs.idorder,
    idOf(ids, item.sku),
    idOf(ids, item.name),
    idOf(ids, item.category),
    0,
    0,
    0,
    0,
    item.price,
    item.quantity,
    0,
  ]);
}
