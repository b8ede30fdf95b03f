# Prometheus (Debian prometheus 2.42): scrapes the stack, the processors, the API, the jobs and the
# exporters; evaluates monitoring/prometheus/rules/*.yml and sends alerts to Alertmanager.
# Config rendered from monitoring/prometheus/prometheus.yml (the ports of stack.env applied, rule paths
# made absolute) into .stack/conf/prometheus/; data in .stack/data/prometheus, kept 3 days.
# Extra rule files dropped into .stack/conf/prometheus/rules.d/ load on POST /-/reload (the alerting
# integration test uses it).

PROMETHEUS_CONF_DIR="$CONF_DIR/prometheus"
PROMETHEUS_RETENTION="${STREAMREC_PROMETHEUS_RETENTION:-3d}"

prometheus_url() { echo "http://$STREAMREC_HOST:$STREAMREC_PROMETHEUS_PORT"; }

# Copies a monitoring config, replacing each 127.0.0.1:<default port> by the stack's host and the port
# now in force (stack.env defaults, overridable in the environment; the processors', the API's and the
# jobs' ports have their defaults in their own config). Two passes, so a port moved onto another
# default is not rewritten twice. Shared by alertmanager.sh.
render_local_ports() {
  local source="$1" target="$2" key value current
  local -a defaults=(
    STREAMREC_NORMALIZE_METRICS_PORT=19101 STREAMREC_FEATURES_METRICS_PORT=19102 STREAMREC_COOCCURRENCE_METRICS_PORT=19103
    STREAMREC_TRENDING_METRICS_PORT=19104 STREAMREC_CLICKHOUSE_SINK_METRICS_PORT=19105 STREAMREC_RETRAIN_METRICS_PORT=19106
    STREAMREC_DQ_METRICS_PORT=19107 STREAMREC_EXPERIMENTS_METRICS_PORT=19109 STREAMREC_API_PORT=18080 STREAMREC_API_OPS_PORT=18081
  )
  while IFS='=' read -r key value; do
    [[ $key == STREAMREC_*_PORT ]] && defaults+=("$key=$value")
  done < "$LOCAL_DIR/stack.env"
  local placeholders=() values=() entry
  for entry in "${defaults[@]}"; do
    key="${entry%%=*}" value="${entry#*=}" current="${!key:-${entry#*=}}"
    placeholders+=("-e" "s/127\\.0\\.0\\.1:$value\\b/@@$key@@/g")
    values+=("-e" "s/@@$key@@/$STREAMREC_HOST:$current/g")
  done
  sed "${placeholders[@]}" "$source" | sed "${values[@]}" > "$target"
}

prometheus_render_config() {
  mkdir -p "$PROMETHEUS_CONF_DIR/rules.d" "$DATA_DIR/prometheus"
  local rules="$REPO_ROOT/monitoring/prometheus/rules"
  render_local_ports "$REPO_ROOT/monitoring/prometheus/prometheus.yml" "$PROMETHEUS_CONF_DIR/prometheus.yml.tmp"
  # rule_files: the repository's rules by absolute path, then the local drop-in directory.
  awk -v rules="$rules/" -v extra="$PROMETHEUS_CONF_DIR/rules.d/*.yml" '
    /^  - rules\// { sub(/rules\//, rules); print; if (!done) { print "  - " extra; done = 1 } next }
    { print }' "$PROMETHEUS_CONF_DIR/prometheus.yml.tmp" > "$PROMETHEUS_CONF_DIR/prometheus.yml"
  rm -f "$PROMETHEUS_CONF_DIR/prometheus.yml.tmp"
  promtool check config "$PROMETHEUS_CONF_DIR/prometheus.yml" > "$LOG_DIR/prometheus-config-check.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/prometheus-config-check.log" >&2; return 1; }
}

# Ready, and a query answers.
prometheus_health() {
  curl -sf --max-time 3 "$(prometheus_url)/-/ready" > /dev/null 2>&1 || return 1
  curl -sf --max-time 5 "$(prometheus_url)/api/v1/query?query=vector(1)" 2>/dev/null | grep -q '"status":"success"'
}

prometheus_start() {
  prometheus_render_config || return 1
  spawn prometheus prometheus \
    --config.file="$PROMETHEUS_CONF_DIR/prometheus.yml" \
    --storage.tsdb.path="$DATA_DIR/prometheus" \
    --storage.tsdb.retention.time="$PROMETHEUS_RETENTION" \
    --web.listen-address="$STREAMREC_HOST:$STREAMREC_PROMETHEUS_PORT" \
    --web.external-url="$(prometheus_url)/" \
    --web.enable-lifecycle \
    --log.level=warn
  wait_healthy prometheus 60 prometheus_health
}

prometheus_stop() { stop_pid prometheus 30; }

prometheus_describe() { echo "prometheus $(prometheus_url) (rules: monitoring/prometheus/rules, .stack/conf/prometheus/rules.d)"; }
