import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { sql } from '@streamrec/foundation';

/** Where an identifier was found: a Redis key (its name, a member, field or value) or a ClickHouse column. */
export interface Finding {
  readonly store: 'redis' | 'clickhouse';
  readonly where: string;
  readonly needle: string;
}

/**
 * Reads every key of Redis whole (names, string values, hash fields and values, set and zset members,
 * list items) and reports each one containing one of the needles: the search of an erasure test, which
 * must not trust the erase command's own idea of where people are kept.
 */
export async function searchRedis(redis: Redis, needles: readonly string[]): Promise<Finding[]> {
  const found: Finding[] = [];
  const patterns = needles.map((needle) => ({ needle, pattern: wholeToken(needle) }));
  const check = (where: string, text: string): void => {
    for (const { needle, pattern } of patterns) if (pattern.test(text)) found.push({ store: 'redis', where, needle });
  };
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    const types = await Promise.all(keys.map((key) => redis.type(key)));
    for (const [index, key] of keys.entries()) {
      check(`key name ${key}`, key);
      const type = types[index];
      let texts: string[] = [];
      if (type === 'string') texts = [(await redis.getBuffer(key))?.toString('latin1') ?? ''];
      else if (type === 'hash') texts = Object.entries(await redis.hgetall(key)).flat();
      else if (type === 'set') texts = await redis.smembers(key);
      else if (type === 'zset') texts = await redis.zrange(key, 0, -1);
      else if (type === 'list') texts = await redis.lrange(key, 0, -1);
      for (const text of texts) check(`${type} ${key}`, text);
    }
  } while (cursor !== '0');
  return found;
}

/**
 * A needle as a whole token: a number must not be part of a longer number (a user id inside an epoch
 * timestamp or a score is not the user).
 */
function wholeToken(needle: string): RegExp {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /^\d+$/.test(needle) ? new RegExp(`(?<![0-9])${escaped}(?![0-9])`) : new RegExp(escaped);
}

/**
 * Every String column (plain, Nullable, Array, Nested) of every table of the database, and every integer
 * column named like an id, searched for each needle: an id column by equality, text as a whole token.
 */
export async function searchClickHouse(client: ClickHouseClient, database: string, needles: readonly string[]): Promise<Finding[]> {
  const columns = await (
    await client.query({
      query: `SELECT table, name, type FROM system.columns WHERE database = ${sql.string(database)} AND default_kind != 'ALIAS' AND type NOT LIKE 'AggregateFunction%' AND (type LIKE '%String%' OR (type LIKE '%Int%' AND name LIKE '%id'))`,
      format: 'JSONEachRow',
    })
  ).json<{ table: string; name: string; type: string }>();
  const found: Finding[] = [];
  for (const { table, name, type } of columns) {
    for (const needle of needles) {
      const numeric = /^\d+$/.test(needle);
      if (!type.includes('String') && !numeric) continue;
      const expression = !type.includes('String')
        ? `toString(${columnName(name)}) = ${sql.string(needle)}`
        : numeric
          ? `match(toString(${columnName(name)}), ${sql.string(`(^|[^0-9])${needle}([^0-9]|$)`)})`
          : `position(toString(${columnName(name)}), ${sql.string(needle)}) > 0`;
      const rows = await (await client.query({ query: `SELECT count() AS n FROM ${sql.table(database, table)} WHERE ${expression}`, format: 'JSONEachRow' })).json<{ n: string }>();
      if (Number(rows[0]?.n ?? 0) > 0) found.push({ store: 'clickhouse', where: `${table}.${name} (${rows[0]?.n} rows)`, needle });
    }
  }
  return found;
}

/** A column name as system.columns spells it (a Nested one has a dot), quoted. */
function columnName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.]{0,127}$/.test(name)) throw new RangeError(`unexpected column name ${name}`);
  return `\`${name}\``;
}
