# MariaDB (Debian mariadb-server) with its own datadir, binlog in ROW format for Debezium.

MARIADB_DATA="$DATA_DIR/mariadb"
MARIADB_SOCKET="$RUN_DIR/mariadb.sock"
MARIADB_CNF="$CONF_DIR/mariadb.cnf"

mariadb_render_config() {
  cat > "$MARIADB_CNF" <<CNF
[client]
socket=$MARIADB_SOCKET
port=$STREAMREC_MARIADB_PORT

[mariadbd]
datadir=$MARIADB_DATA
socket=$MARIADB_SOCKET
port=$STREAMREC_MARIADB_PORT
bind-address=$STREAMREC_HOST
pid-file=$RUN_DIR/mariadbd.self.pid
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
# Debezium reads the binlog: ROW format with full before/after images, a server id, 7 days kept.
server-id=1
log-bin=$MARIADB_DATA/binlog
binlog-format=ROW
binlog-row-image=FULL
binlog-expire-logs-seconds=604800
# Small footprint for a 2-core developer machine.
innodb-buffer-pool-size=256M
innodb-log-file-size=64M
max-connections=200
performance-schema=OFF
CNF
}

mariadb_client() { mariadb --defaults-file="$MARIADB_CNF" --protocol=socket -uroot "$@"; }

mariadb_health() { mariadb_client -N -e "SELECT @@log_bin = 1 AND @@binlog_format = 'ROW'" 2>/dev/null | grep -qx 1; }

mariadb_start() {
  mariadb_render_config
  if [[ ! -d "$MARIADB_DATA/mysql" ]]; then
    log "mariadb: initialising data dir $MARIADB_DATA"
    mkdir -p "$MARIADB_DATA"
    mariadb-install-db --defaults-file="$MARIADB_CNF" --user=root --skip-test-db \
      --auth-root-authentication-method=socket >> "$LOG_DIR/mariadb.log" 2>&1 \
      || { tail -n 30 "$LOG_DIR/mariadb.log" >&2; die "mariadb-install-db failed"; }
  fi
  spawn mariadb mariadbd --defaults-file="$MARIADB_CNF" --user=root
  wait_healthy mariadb 60 mariadb_health || return 1
  mariadb_bootstrap
}

# Idempotent: databases, users (passwords re-synced from secrets.env), grants, source schemas.
mariadb_bootstrap() {
  local app="$STREAMREC_MARIADB_APP_USER" cdc="$STREAMREC_MARIADB_CDC_USER"
  mariadb_client <<SQL
-- Nothing of this bootstrap goes to the binary log Debezium reads. Users and grants carry passwords. The
-- CREATE DATABASE statements are logged even when the database exists, as DDL-only transactions; when
-- Connect restarts after such a tail of the binlog, Debezium 3.5's MariaDB connector resumes with a stale
-- count of events to skip and drops that many row events of the next transactions (seen in the
-- redis-down drill: 2 of 3 canary favourites never reached Kafka after a restart of the stack). The
-- databases are created before the connector's first snapshot, so it needs no event for them.
SET SESSION sql_log_bin = 0;
CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS matomo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$app'@'127.0.0.1' IDENTIFIED BY '$STREAMREC_MARIADB_APP_PASSWORD';
ALTER USER '$app'@'127.0.0.1' IDENTIFIED BY '$STREAMREC_MARIADB_APP_PASSWORD';
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO '$app'@'127.0.0.1';
GRANT SELECT, INSERT, UPDATE, DELETE ON matomo.* TO '$app'@'127.0.0.1';
-- The privileges the Debezium MariaDB connector documents, plus BINLOG MONITOR (MariaDB >= 10.5): the
-- server-wide ones it needs to read the binlog and take a snapshot, and reading (and locking, for the
-- snapshot) only the captured databases. Revoked first, so an install with the earlier SELECT ON *.*
-- loses it.
CREATE USER IF NOT EXISTS '$cdc'@'127.0.0.1' IDENTIFIED BY '$STREAMREC_MARIADB_CDC_PASSWORD';
ALTER USER '$cdc'@'127.0.0.1' IDENTIFIED BY '$STREAMREC_MARIADB_CDC_PASSWORD';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '$cdc'@'127.0.0.1';
GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO '$cdc'@'127.0.0.1';
GRANT SELECT, LOCK TABLES ON shop.* TO '$cdc'@'127.0.0.1';
GRANT SELECT, LOCK TABLES ON matomo.* TO '$cdc'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
  local file
  for file in "$REPO_ROOT"/schemas/sql/shop*.sql; do [[ -e "$file" ]] && mariadb_client shop < "$file"; done
  for file in "$REPO_ROOT"/schemas/sql/matomo*.sql; do [[ -e "$file" ]] && mariadb_client matomo < "$file"; done
  return 0
}

mariadb_stop() { stop_pid mariadb 60; }

mariadb_describe() { echo "mariadb   $STREAMREC_HOST:$STREAMREC_MARIADB_PORT (socket $MARIADB_SOCKET)"; }
