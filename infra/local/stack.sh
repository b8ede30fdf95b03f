#!/usr/bin/env bash
# The local stack without Docker: MariaDB, Redis, ClickHouse, Kafka (KRaft), Kafka Connect + Debezium.
#   stack.sh up [component...]      install if needed, start what is not running, wait until healthy
#   stack.sh status [component...]  health of each component (log tail when unhealthy); exit 0 only if all healthy
#   stack.sh down [component...]    stop what this script started (by pid)
#   stack.sh reset                  stop everything and wipe all data (jars and secrets are kept)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for component in "${COMPONENTS[@]}"; do
  # shellcheck disable=SC1090
  source "$LOCAL_DIR/components/$component.sh"
done

usage() { sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

selected() {
  if (( $# == 0 )); then printf '%s\n' "${COMPONENTS[@]}"; return; fi
  local name
  for name in "$@"; do
    [[ " ${COMPONENTS[*]} " == *" $name "* ]] || die "unknown component '$name' (known: ${COMPONENTS[*]})"
    echo "$name"
  done
}

cmd_up() {
  bash "$LOCAL_DIR/install.sh"
  ensure_secrets
  local name started=$SECONDS
  for name in $(selected "$@"); do
    if running_pid "$name" >/dev/null && "${name}_health"; then
      log "$name already running and healthy"
      # Schema additions of a newer checkout reach a running server too (every DDL file is idempotent).
      if [[ $name == clickhouse ]]; then clickhouse_bootstrap; fi
      # Users, passwords (from .stack/secrets.env) and grants are re-synced too: the way back from a
      # password changed by hand (docs/OPERATIONS.md#connector-failed). Nothing of it reaches the binlog.
      if [[ $name == mariadb ]]; then mariadb_bootstrap; fi
      # Kafka's SCRAM users and ACLs likewise (a no-op when unchanged).
      if [[ $name == kafka ]]; then kafka_provision; fi
      continue
    fi
    if running_pid "$name" >/dev/null; then
      log "$name is running but not healthy yet; waiting"
      wait_healthy "$name" 120 "${name}_health" || die "$name unhealthy"
      continue
    fi
    log "starting $name"
    local t0=$SECONDS
    "${name}_start" || die "$name failed to start (see $LOG_DIR/$name.log)"
    log "$name healthy after $((SECONDS - t0))s"
  done
  log "stack up in $((SECONDS - started))s"
}

cmd_status() {
  ensure_secrets
  local name pid state rc=0
  printf '%-15s %-10s %-8s %-10s %s\n' COMPONENT STATE PID RSS_MB ENDPOINT
  for name in $(selected "$@"); do
    if pid="$(running_pid "$name")"; then
      if "${name}_health"; then state=healthy; else state=unhealthy; rc=1; fi
      printf '%-15s %-10s %-8s %-10s %s\n' "$name" "$state" "$pid" "$(( $(rss_kb "$pid") / 1024 ))" "$("${name}_describe")"
      if [[ $state == unhealthy ]]; then tail -n 15 "$LOG_DIR/$name.log" | sed 's/^/    | /'; fi
    else
      printf '%-15s %-10s %-8s %-10s %s\n' "$name" stopped - - "$("${name}_describe")"
      rc=1
    fi
  done
  if running_pid connect >/dev/null && connect_health; then
    local connectors
    connectors="$(curl -sf --max-time 3 "$(connect_url)/connectors?expand=status" || true)"
    if [[ -n $connectors && $connectors != '{}' ]]; then
      echo
      echo "connectors:"
      echo "$connectors" | node "$LOCAL_DIR/print-connectors.mjs" || rc=1
    fi
  fi
  return $rc
}

cmd_down() {
  local names=() name
  mapfile -t names < <(selected "$@")
  # Reverse start order: Connect before Kafka before the databases.
  for (( i=${#names[@]}-1; i>=0; i-- )); do
    name="${names[$i]}"
    "${name}_stop"
  done
  log "stopped: ${names[*]}"
}

cmd_reset() {
  cmd_down
  log "wiping $DATA_DIR, $CONF_DIR and logs"
  rm -rf "$DATA_DIR" "$CONF_DIR" "$LOG_DIR" "$RUN_DIR"
}

main() {
  local command="${1:-}"; shift || true
  case "$command" in
    up) cmd_up "$@" ;;
    status) cmd_status "$@" ;;
    down) cmd_down "$@" ;;
    reset) cmd_reset ;;
    -h|--help|help|"") usage ;;
    *) usage; die "unknown command '$command'" ;;
  esac
}

main "$@"
