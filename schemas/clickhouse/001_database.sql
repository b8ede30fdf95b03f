-- streamrec analytical store. Every file in this directory is idempotent (IF NOT EXISTS
-- everywhere) and must run on ClickHouse 18.16 (Debian's package, used locally and in CI) as well
-- as on current releases: no LowCardinality, DateTime64, TTL, CODEC, data-skipping indexes or
-- ALTER ... IF NOT EXISTS, no COMMENT inside Nested. DEFAULT only with the type's own zero value
-- ('' or 0): 18.16 ignores DEFAULT expressions for fields a JSONEachRow insert omits, so derived
-- columns are MATERIALIZED (computed on every insert, hidden from SELECT *; name them).
-- Apply in file order:
--   clickhouse-client --multiquery < NNN_name.sql   (or loadClickHouseDdl() over HTTP).

CREATE DATABASE IF NOT EXISTS streamrec;
