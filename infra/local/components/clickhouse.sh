# ClickHouse server (Debian clickhouse-server 18.16): analytical store for analysts and training.

CLICKHOUSE_DATA="$DATA_DIR/clickhouse"
CLICKHOUSE_CONF="$CONF_DIR/clickhouse"

clickhouse_render_config() {
  mkdir -p "$CLICKHOUSE_DATA"/{tmp,user_files,format_schemas} "$CLICKHOUSE_CONF"
  local app_hash analyst_hash default_password default_hash
  app_hash="$(printf '%s' "$STREAMREC_CLICKHOUSE_PASSWORD" | sha256sum | cut -d' ' -f1)"
  analyst_hash="$(printf '%s' "$STREAMREC_CLICKHOUSE_ANALYST_PASSWORD" | sha256sum | cut -d' ' -f1)"
  # The built-in `default` user gets a random password nobody uses: everything goes through named users.
  default_password="$(random_secret)"
  default_hash="$(printf '%s' "$default_password" | sha256sum | cut -d' ' -f1)"
  cat > "$CLICKHOUSE_CONF/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <console>1</console>
  </logger>
  <listen_host>$STREAMREC_HOST</listen_host>
  <http_port>$STREAMREC_CLICKHOUSE_HTTP_PORT</http_port>
  <tcp_port>$STREAMREC_CLICKHOUSE_TCP_PORT</tcp_port>
  <interserver_http_port>$STREAMREC_CLICKHOUSE_INTERSERVER_PORT</interserver_http_port>
  <max_connections>512</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$CLICKHOUSE_DATA/</path>
  <tmp_path>$CLICKHOUSE_DATA/tmp/</tmp_path>
  <user_files_path>$CLICKHOUSE_DATA/user_files/</user_files_path>
  <format_schema_path>$CLICKHOUSE_DATA/format_schemas/</format_schema_path>
  <users_config>$CLICKHOUSE_CONF/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
XML
  cat > "$CLICKHOUSE_CONF/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </default>
    <readonly>
      <readonly>1</readonly>
    </readonly>
    <!-- The application user (processors, jobs, DDL): the default limits, its own profile so they can
         change without touching the admin's. -->
    <app>
      <max_memory_usage>4000000000</max_memory_usage>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>random</load_balancing>
    </app>
    <!-- Analysts' ad-hoc SQL (docs/analytics.md): read-only, so no setting can be raised per query
         (readonly=1 also refuses SET and per-query settings; clients must not send any, e.g. no
         enable_http_compression), and bounded so one query cannot starve the sink or training. -->
    <analyst>
      <readonly>1</readonly>
      <max_execution_time>60</max_execution_time>
      <max_memory_usage>2000000000</max_memory_usage>
      <max_result_rows>100000</max_result_rows>
      <result_overflow_mode>throw</result_overflow_mode>
      <max_rows_to_read>500000000</max_rows_to_read>
      <read_overflow_mode>throw</read_overflow_mode>
      <max_threads>2</max_threads>
      <use_uncompressed_cache>0</use_uncompressed_cache>
    </analyst>
  </profiles>
  <users>
    <default>
      <password_sha256_hex>$default_hash</password_sha256_hex>
      <networks replace="replace"><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <$STREAMREC_CLICKHOUSE_USER>
      <password_sha256_hex>$app_hash</password_sha256_hex>
      <networks replace="replace"><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>app</profile>
      <quota>default</quota>
      <allow_databases><database>streamrec</database></allow_databases>
    </$STREAMREC_CLICKHOUSE_USER>
    <$STREAMREC_CLICKHOUSE_ANALYST_USER>
      <password_sha256_hex>$analyst_hash</password_sha256_hex>
      <networks replace="replace"><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>analyst</profile>
      <quota>analyst</quota>
      <allow_databases><database>streamrec</database></allow_databases>
    </$STREAMREC_CLICKHOUSE_ANALYST_USER>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
    <analyst>
      <interval><duration>3600</duration><queries>2000</queries><errors>500</errors><result_rows>20000000</result_rows><read_rows>20000000000</read_rows><execution_time>3600</execution_time></interval>
    </analyst>
  </quotas>
</yandex>
XML
  chmod 600 "$CLICKHOUSE_CONF/users.xml"
  # Client settings file so the password never appears in a process list.
  ( umask 077; cat > "$CLICKHOUSE_CONF/client.xml" <<XML
<config>
  <host>$STREAMREC_HOST</host>
  <port>$STREAMREC_CLICKHOUSE_TCP_PORT</port>
  <user>$STREAMREC_CLICKHOUSE_USER</user>
  <password>$STREAMREC_CLICKHOUSE_PASSWORD</password>
</config>
XML
  )
}

clickhouse_client() { clickhouse-client --config-file="$CLICKHOUSE_CONF/client.xml" "$@"; }

# Protocol-level check over HTTP: run a query as the application user.
clickhouse_health() {
  local out
  out="$(curl -sS --max-time 3 -K - "http://$STREAMREC_HOST:$STREAMREC_CLICKHOUSE_HTTP_PORT/?query=SELECT%201" \
    <<< "user = \"$STREAMREC_CLICKHOUSE_USER:$STREAMREC_CLICKHOUSE_PASSWORD\"" 2>/dev/null)" || return 1
  [[ "$out" == 1 ]]
}

clickhouse_start() {
  clickhouse_render_config
  spawn clickhouse clickhouse-server --config-file="$CLICKHOUSE_CONF/config.xml"
  wait_healthy clickhouse 60 clickhouse_health || return 1
  clickhouse_bootstrap
}

# Applies schemas/clickhouse/*.sql in order; every file is idempotent. ClickHouse 18.16 has no
# `ADD COLUMN IF NOT EXISTS`, so a file of `ALTER TABLE <db>.<table> ADD COLUMN <name> <type>` statements
# (one per line, a migration of an existing install) runs only the columns system.columns lacks.
clickhouse_bootstrap() {
  local file
  for file in "$REPO_ROOT"/schemas/clickhouse/*.sql; do
    [[ -e "$file" ]] || continue
    if grep -qiE '^[[:space:]]*ALTER[[:space:]]+TABLE' "$file"; then
      clickhouse_add_missing_columns "$file" || die "clickhouse: applying $(basename "$file") failed"
    else
      clickhouse_client --multiquery < "$file" || die "clickhouse: applying $(basename "$file") failed"
    fi
  done
}

clickhouse_add_missing_columns() {
  local file="$1" line database table column exists
  while IFS= read -r line; do
    [[ "$line" =~ ^[[:space:]]*ALTER[[:space:]]+TABLE[[:space:]]+([a-z_]+)\.([a-z_]+)[[:space:]]+ADD[[:space:]]+COLUMN[[:space:]]+([a-z_.]+)[[:space:]] ]] || continue
    database="${BASH_REMATCH[1]}" table="${BASH_REMATCH[2]}" column="${BASH_REMATCH[3]}"
    exists="$(clickhouse_client -q "SELECT count() FROM system.columns WHERE database = '$database' AND table = '$table' AND name = '$column'")" || return 1
    [[ "$exists" == 0 ]] || continue
    clickhouse_client -q "${line%;}" || return 1
  done < "$file"
}

clickhouse_stop() { stop_pid clickhouse 30; }

clickhouse_describe() { echo "clickhouse http $STREAMREC_HOST:$STREAMREC_CLICKHOUSE_HTTP_PORT, native $STREAMREC_CLICKHOUSE_TCP_PORT"; }
