#!/bin/sh
# Applies schemas/clickhouse/*.sql (mounted at /streamrec/ddl) in file order as the `streamrec` user,
# like clickhouse_bootstrap in infra/local/components/clickhouse.sh. Every file is idempotent, so
# this runs on every `docker compose up`. The password goes through a client config file in /tmp,
# never on a command line.
set -eu
: "${STREAMREC_CLICKHOUSE_PASSWORD:?}"
umask 077
config=/tmp/clickhouse-client.xml
cat > "$config" <<XML
<config>
  <host>${CLICKHOUSE_HOST:-clickhouse}</host>
  <user>${STREAMREC_CLICKHOUSE_USER:-streamrec}</user>
  <password>${STREAMREC_CLICKHOUSE_PASSWORD}</password>
</config>
XML
for file in /streamrec/ddl/*.sql; do
  echo "clickhouse-ddl: applying $(basename "$file")"
  clickhouse-client --config-file="$config" --multiquery < "$file"
done
rm -f "$config"
