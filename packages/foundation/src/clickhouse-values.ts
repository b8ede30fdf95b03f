/** 'YYYY-MM-DD hh:mm:ss' in UTC, floored to the second: a DateTime('UTC') value as ClickHouse 18.16 reads it in JSONEachRow. */
export function clickHouseDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1_000) * 1_000).toISOString().slice(0, 19).replace('T', ' ');
}
