# The local alert receiver (infra/exporters, `alert-webhook`): Alertmanager's default webhook. Appends
# every alert of every notification as one JSON line to .stack/logs/alerts.ndjson; /metrics and /healthz.

ALERT_WEBHOOK_LOG="$LOG_DIR/alerts.ndjson"

alert-webhook_url() { echo "http://$STREAMREC_HOST:$STREAMREC_ALERT_WEBHOOK_PORT"; }

alert-webhook_health() { curl -sf --max-time 3 "$(alert-webhook_url)/healthz" 2>/dev/null | grep -q '"ok"'; }

alert-webhook_start() {
  node_process_ready || return 1
  # node itself (not npx) so the recorded pid is the process that gets the signals.
  ( cd "$REPO_ROOT" && STREAMREC_ALERT_WEBHOOK_LOG="$ALERT_WEBHOOK_LOG" \
      spawn alert-webhook node --import tsx infra/exporters/src/alert-webhook-main.ts )
  wait_healthy alert-webhook 60 alert-webhook_health
}

alert-webhook_stop() { stop_pid alert-webhook 10; }

alert-webhook_describe() { echo "alert-webhook $(alert-webhook_url)/alerts → $ALERT_WEBHOOK_LOG"; }

# The TypeScript processes run from the repository's node_modules (npm ci, done by `npm run setup`).
node_process_ready() {
  [[ -d "$REPO_ROOT/node_modules/tsx" && -d "$REPO_ROOT/node_modules/prom-client" ]] && return 0
  log "node_modules is missing: run npm ci (or npm run setup) before starting the monitoring exporters"
  return 1
}
