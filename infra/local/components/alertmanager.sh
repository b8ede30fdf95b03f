# Alertmanager (Debian prometheus-alertmanager 0.25): routes Prometheus' alerts by severity (page, ticket)
# to receivers; locally every receiver is the alert-webhook component (.stack/logs/alerts.ndjson).
# Config rendered from monitoring/alertmanager/alertmanager.yml (ports of stack.env applied, see
# render_local_ports in prometheus.sh) into .stack/conf/alertmanager.yml; silences and the notification
# log in .stack/data/alertmanager. One instance: the cluster (gossip) listener is off.

ALERTMANAGER_CONF="$CONF_DIR/alertmanager.yml"

alertmanager_url() { echo "http://$STREAMREC_HOST:$STREAMREC_ALERTMANAGER_PORT"; }

alertmanager_render_config() {
  mkdir -p "$DATA_DIR/alertmanager"
  render_local_ports "$REPO_ROOT/monitoring/alertmanager/alertmanager.yml" "$ALERTMANAGER_CONF"
  amtool check-config "$ALERTMANAGER_CONF" > "$LOG_DIR/alertmanager-config-check.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/alertmanager-config-check.log" >&2; return 1; }
}

# Ready, and the API reports the loaded config.
alertmanager_health() {
  curl -sf --max-time 3 "$(alertmanager_url)/-/ready" > /dev/null 2>&1 || return 1
  curl -sf --max-time 3 "$(alertmanager_url)/api/v2/status" 2>/dev/null | grep -q '"config"'
}

alertmanager_start() {
  alertmanager_render_config || return 1
  spawn alertmanager prometheus-alertmanager \
    --config.file="$ALERTMANAGER_CONF" \
    --storage.path="$DATA_DIR/alertmanager" \
    --web.listen-address="$STREAMREC_HOST:$STREAMREC_ALERTMANAGER_PORT" \
    --web.external-url="$(alertmanager_url)/" \
    --cluster.listen-address= \
    --data.retention=120h \
    --log.level=warn
  wait_healthy alertmanager 60 alertmanager_health
}

alertmanager_stop() { stop_pid alertmanager 30; }

alertmanager_describe() { echo "alertmanager $(alertmanager_url) (routes: monitoring/alertmanager/alertmanager.yml)"; }
