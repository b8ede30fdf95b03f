# The stack exporter (infra/exporters, `stack-exporter`): what ClickHouse 18.16 and MariaDB do not export
# themselves. GET /metrics/clickhouse (system.metrics, system.events, system.asynchronous_metrics, parts
# and rows of the streamrec tables; job `clickhouse`), /metrics/binlog (MariaDB's binary logs against the
# position each Debezium connector has committed; job `binlog`), /metrics (its own process; job
# `stack-exporter`). It reads MariaDB as the `monitor` user, which may only look at the binary logs.

stack-exporter_url() { echo "http://$STREAMREC_HOST:$STREAMREC_STACK_EXPORTER_PORT"; }

stack-exporter_health() {
  curl -sf --max-time 3 "$(stack-exporter_url)/healthz" 2>/dev/null | grep -q '"ok"' || return 1
  # A real scrape of both sources answered (their _up gauges say whether ClickHouse and MariaDB did).
  curl -sf --max-time 10 "$(stack-exporter_url)/metrics/clickhouse" 2>/dev/null | grep -q '^clickhouse_up ' || return 1
  curl -sf --max-time 10 "$(stack-exporter_url)/metrics/binlog" 2>/dev/null | grep -q '^mariadb_binlog_up '
}

# A MariaDB user for the exporter with BINLOG MONITOR only (SHOW BINARY LOGS, SHOW MASTER STATUS), its
# password generated once into secrets.env like the others. Idempotent; needs the mariadb component.
# Not written to the binary log (sql_log_bin = 0): the statements carry the password, and Debezium
# would read them.
stack-exporter_mariadb_user() {
  local file="$STACK_DIR/secrets.env"
  if ! grep -q '^STREAMREC_MARIADB_MONITOR_PASSWORD=' "$file"; then
    ( umask 077; echo "STREAMREC_MARIADB_MONITOR_PASSWORD=$(random_secret)" >> "$file" )
  fi
  set -a; # shellcheck disable=SC1090
  source "$file"; set +a
  local user="$STREAMREC_MARIADB_MONITOR_USER"
  mariadb --defaults-file="$CONF_DIR/mariadb.cnf" --protocol=socket -uroot <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' IDENTIFIED BY '$STREAMREC_MARIADB_MONITOR_PASSWORD';
ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$STREAMREC_MARIADB_MONITOR_PASSWORD';
GRANT BINLOG MONITOR ON *.* TO '$user'@'127.0.0.1';
SQL
}

stack-exporter_start() {
  node_process_ready || return 1
  stack-exporter_mariadb_user || { log "stack-exporter: could not create the MariaDB monitor user (is mariadb up?)"; return 1; }
  mkdir -p "$DATA_DIR/stack-exporter"
  ( cd "$REPO_ROOT" && STREAMREC_STACK_EXPORTER_STATE_DIR="$DATA_DIR/stack-exporter" \
      spawn stack-exporter node --import tsx infra/exporters/src/stack-exporter-main.ts )
  wait_healthy stack-exporter 60 stack-exporter_health
}

stack-exporter_stop() { stop_pid stack-exporter 10; }

stack-exporter_describe() { echo "stack-exporter $(stack-exporter_url)/metrics/{clickhouse,binlog}"; }
