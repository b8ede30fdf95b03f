#!/usr/bin/env bash
# Runs the stream processors as local background processes against the local stack.
#   streams.sh up [processor...]      start what is not running, wait until each serves /healthz
#   streams.sh status [processor...]  pid, memory, health, records applied and consumer lag (from /metrics)
#   streams.sh down [processor...]    stop what this script started (SIGTERM: each drains its batch first)
# Processors: normalize features cooccurrence trending clickhouse-sink. Logs: .stack/logs/streams-<name>.log.
# Each reads its settings from the environment (see `npm run streams:<name> -- --help`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

PROCESSORS=(normalize features cooccurrence trending clickhouse-sink)

usage() { sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

metrics_port() {
  case "$1" in
    normalize) echo "${STREAMREC_NORMALIZE_METRICS_PORT:-19101}" ;;
    features) echo "${STREAMREC_FEATURES_METRICS_PORT:-19102}" ;;
    cooccurrence) echo "${STREAMREC_COOCCURRENCE_METRICS_PORT:-19103}" ;;
    trending) echo "${STREAMREC_TRENDING_METRICS_PORT:-19104}" ;;
    clickhouse-sink) echo "${STREAMREC_CLICKHOUSE_SINK_METRICS_PORT:-19105}" ;;
  esac
}

selected() {
  local name available=()
  for name in "${PROCESSORS[@]}"; do [[ -f "streams/$name/src/main.ts" ]] && available+=("$name"); done
  if (( $# == 0 )); then printf '%s\n' "${available[@]}"; return; fi
  for name in "$@"; do
    [[ " ${available[*]} " == *" $name "* ]] || die "unknown processor '$name' (known: ${available[*]})"
    echo "$name"
  done
}

healthz() { curl -sf --max-time 5 "http://127.0.0.1:$(metrics_port "$1")/healthz" >/dev/null; }
# wait_healthy takes a command without arguments; it names the processor being started.
starting_healthz() { healthz "$STARTING"; }

cmd_up() {
  ensure_dirs
  local name
  for name in $(selected "$@"); do
    local proc="streams-$name"
    if running_pid "$proc" >/dev/null; then log "$name already running"; continue; fi
    log "starting $name"
    # node itself (not npx) so the recorded pid is the processor, which gets the signals.
    spawn "$proc" node --import tsx "streams/$name/src/main.ts"
    STARTING="$name"
    wait_healthy "$proc" 90 starting_healthz || die "$name did not become healthy (see $LOG_DIR/$proc.log)"
    log "$name healthy (metrics on port $(metrics_port "$name"))"
  done
}

# Sum of a metric's samples in a Prometheus text exposition (0 when absent).
metric_sum() { awk -v name="$1" '$1 ~ "^"name"({|$)" { sum += $NF } END { printf "%d", sum }'; }

cmd_status() {
  local name healthy=0
  printf '%-16s %-9s %-8s %-7s %-12s %s\n' PROCESSOR STATE PID RSS_MB APPLIED LAG
  for name in $(selected "$@"); do
    local proc="streams-$name" pid state="stopped" applied="-" lag="-" rss="-"
    if pid="$(running_pid "$proc")"; then
      rss=$(( $(rss_kb "$pid") / 1024 ))
      local text
      if healthz "$name" && text="$(curl -sf --max-time 5 "http://127.0.0.1:$(metrics_port "$name")/metrics")"; then
        state="healthy"
        applied="$(metric_sum stream_events_total <<< "$text")"
        lag="$(metric_sum stream_consumer_lag <<< "$text")"
      else
        state="unhealthy"; healthy=1
        tail -n 10 "$LOG_DIR/$proc.log" | sed 's/^/    /' >&2 || true
      fi
    else
      pid="-"; healthy=1
    fi
    printf '%-16s %-9s %-8s %-7s %-12s %s\n' "$name" "$state" "$pid" "$rss" "$applied" "$lag"
  done
  return $healthy
}

cmd_down() {
  local name
  for name in $(selected "$@"); do stop_pid "streams-$name" 30; done
}

main() {
  local command="${1:-}"; shift || true
  case "$command" in
    up) cmd_up "$@" ;;
    status) cmd_status "$@" ;;
    down) cmd_down "$@" ;;
    port) metrics_port "${1:?processor}" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
