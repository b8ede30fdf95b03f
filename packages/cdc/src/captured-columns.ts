import { ConversionItemColumns, DatasetColumns, FavoriteColumns, LinkVisitActionColumns, MatomoActionColumns, MatomoVisitColumns, OrderColumns, OrderItemColumns, UserColumns } from './source-rows.js';
import { signalColumns, signalTable } from './signal-table.js';
import { SourceTable } from './source-tables.js';

/**
 * The columns the connector captures of each table: exactly those the consumers read (source-rows.ts),
 * so what a CDC topic keeps forever holds no column nobody uses — no email or display name of a shop
 * user, no IP address, device fingerprint (`config_id`), location or referrer of a Matomo visit.
 * `matomo_log_conversion` is captured but not read (normalize skips it): only its primary key.
 */
export const capturedColumns: Readonly<Record<SourceTable, readonly string[]>> = Object.freeze({
  [SourceTable.ShopUsers]: Object.keys(UserColumns),
  [SourceTable.ShopDatasets]: Object.keys(DatasetColumns),
  [SourceTable.ShopOrders]: Object.keys(OrderColumns),
  [SourceTable.ShopOrderItems]: Object.keys(OrderItemColumns),
  [SourceTable.ShopFavorites]: Object.keys(FavoriteColumns),
  [SourceTable.MatomoVisit]: Object.keys(MatomoVisitColumns),
  [SourceTable.MatomoLinkVisitAction]: Object.keys(LinkVisitActionColumns),
  [SourceTable.MatomoAction]: Object.keys(MatomoActionColumns),
  [SourceTable.MatomoConversion]: ['idvisit', 'idgoal', 'buster'],
  [SourceTable.MatomoConversionItem]: Object.keys(ConversionItemColumns),
});

const escaped = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Debezium's `column.include.list` for `capturedColumns`: one regular expression per table, matched
 * against the whole `<database>.<table>.<column>` name, plus the signal table's columns (Debezium reads
 * a signal's id, type and data from the captured row) (connectors/config/cdc-mariadb.json carries it;
 * a unit test keeps the two equal).
 */
export function columnIncludeList(): string {
  return [...Object.entries(capturedColumns), [signalTable, signalColumns] as const]
    .map(([table, columns]) => `${escaped(table)}\\.(${columns.map(escaped).join('|')})`)
    .join(',');
}

/** Debezium's `table.include.list`: the captured tables and the signal table, whose inserts it must read. */
export function tableIncludeList(): string {
  return [...Object.keys(capturedColumns), signalTable].map(escaped).join(',');
}
