#!/usr/bin/env bash
# The application processes of the system on top of the local stack, as background processes:
# the five stream processors, the serving API, the retraining loop, the data-quality loop and the
# experiment readout loop.
#   system.sh up [--no-wait]  start what is not running; wait until the processors have caught up
#                             (records/s and ETA) and the API is ready
#   system.sh status          the stack's components and these processes in one table (state, pid,
#                             RSS, lag, endpoint); exit 0 only when everything is healthy
#   system.sh down            stop what this script started (by pid), then nothing else
# Logs: .stack/logs/<process>.log; pids: .stack/run/<process>.pid. Settings come from the environment
# (see each process's --help); the API reads .stack/api-keys.yaml.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

PROCESSORS=(normalize features cooccurrence trending clickhouse-sink)
API_PORT="${STREAMREC_API_PORT:-18080}"
API_OPS_PORT="${STREAMREC_API_OPS_PORT:-18081}"
RETRAIN_PORT="${STREAMREC_RETRAIN_METRICS_PORT:-19106}"
DQ_PORT="${STREAMREC_DQ_METRICS_PORT:-19107}"
EXPERIMENTS_PORT="${STREAMREC_EXPERIMENTS_METRICS_PORT:-19109}"
# How often the loops run in the local system (a production deployment sets its own).
RETRAIN_EVERY="${STREAMREC_RETRAIN_EVERY:-6h}"
DQ_EVERY="${STREAMREC_DQ_EVERY:-1h}"
EXPERIMENTS_EVERY="${STREAMREC_EXPERIMENTS_EVERY:-1h}"

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# process name → "command|health URL|endpoint shown in status"
describe_process() {
  case "$1" in
    api) echo "node --max-semi-space-size=64 --import tsx services/api/src/main.ts|http://127.0.0.1:$API_OPS_PORT/readyz|http://127.0.0.1:$API_PORT (ops :$API_OPS_PORT: /docs /metrics /admin)" ;;
    retrain) echo "node --import tsx jobs/retrain/src/cli.ts loop --every $RETRAIN_EVERY --metrics-port $RETRAIN_PORT|http://127.0.0.1:$RETRAIN_PORT/metrics|metrics :$RETRAIN_PORT, every $RETRAIN_EVERY" ;;
    dq) echo "node --import tsx jobs/dq/src/cli.ts loop --every $DQ_EVERY --port $DQ_PORT|http://127.0.0.1:$DQ_PORT/metrics|.stack/dq/latest, metrics :$DQ_PORT" ;;
    experiments) echo "node --import tsx jobs/experiments/src/cli.ts loop --every $EXPERIMENTS_EVERY --port $EXPERIMENTS_PORT|http://127.0.0.1:$EXPERIMENTS_PORT/metrics|.stack/experiments/latest, metrics :$EXPERIMENTS_PORT" ;;
    *) local port; port="$(bash "$LOCAL_DIR/streams.sh" port "$1")"
       echo "node --import tsx streams/$1/src/main.ts|http://127.0.0.1:$port/healthz|metrics :$port" ;;
  esac
}

app_processes() {
  printf '%s\n' "${PROCESSORS[@]}" api retrain
  [[ -f jobs/dq/src/cli.ts ]] && echo dq
  [[ -f jobs/experiments/src/cli.ts ]] && echo experiments
  return 0
}

pid_name() { case "$1" in api|retrain|dq|experiments) echo "$1" ;; *) echo "streams-$1" ;; esac; }

field() { cut -d'|' -f"$2" <<< "$1"; }

probe() { curl -sf --max-time 5 "$1" >/dev/null; }

start_process() {
  local name="$1" spec proc
  spec="$(describe_process "$name")"; proc="$(pid_name "$name")"
  if running_pid "$proc" >/dev/null; then log "$name already running"; return 0; fi
  log "starting $name"
  # shellcheck disable=SC2086
  spawn "$proc" $(field "$spec" 1)
  PROBE_URL="$(field "$spec" 2)"
  wait_healthy "$proc" 120 probe_started || die "$name did not become healthy (see $LOG_DIR/$proc.log)"
}
probe_started() { probe "$PROBE_URL"; }

# Sum of a metric's samples in a Prometheus text exposition (0 when absent).
metric_sum() { awk -v name="$1" '$1 ~ "^"name"({|$)" { sum += $NF } END { printf "%d", sum }'; }

total_lag() {
  local name lag=0 text port
  for name in "${PROCESSORS[@]}"; do
    port="$(bash "$LOCAL_DIR/streams.sh" port "$name")"
    text="$(curl -sf --max-time 5 "http://127.0.0.1:$port/metrics")" || { echo -1; return; }
    lag=$((lag + $(metric_sum stream_consumer_lag <<< "$text")))
  done
  echo "$lag"
}

# Until every processor's consumer lag is (nearly) zero twice in a row, with records/s and an ETA.
wait_caught_up() {
  local timeout="${1:-1800}" deadline=$((SECONDS + ${1:-1800})) previous="" at_previous=$SECONDS lag calm=0
  log "waiting for the processors to catch up (lag is refreshed every few seconds)"
  while (( SECONDS < deadline )); do
    lag="$(total_lag)"
    if (( lag >= 0 && lag <= 50 )); then
      calm=$((calm + 1))
      if (( calm >= 2 )); then log "processors caught up (lag $lag)"; return 0; fi
    else
      calm=0
    fi
    if [[ -n $previous && $lag -ge 0 ]] && (( SECONDS > at_previous )); then
      local rate=$(( (previous - lag) / (SECONDS - at_previous) ))
      if (( rate > 0 )); then log "catching up: $lag records behind, $rate records/s, ETA $((lag / rate)) s"; else log "catching up: $lag records behind"; fi
    fi
    previous="$lag"; at_previous=$SECONDS
    sleep 5
  done
  log "the processors did not catch up in ${timeout}s (lag $(total_lag)); they keep running: npm run status"
  return 1
}

cmd_up() {
  local wait=1
  [[ "${1:-}" == --no-wait ]] && wait=0
  ensure_dirs
  ensure_secrets
  local name
  for name in "${PROCESSORS[@]}"; do start_process "$name"; done
  if (( wait == 1 )); then wait_caught_up 1800 || true; fi
  for name in api retrain; do start_process "$name"; done
  [[ -f jobs/dq/src/cli.ts ]] && start_process dq
  [[ -f jobs/experiments/src/cli.ts ]] && start_process experiments
  return 0
}

cmd_status() {
  local rc=0
  bash "$LOCAL_DIR/stack.sh" status || rc=1
  echo
  printf '%-16s %-9s %-8s %-7s %-10s %s\n' PROCESS STATE PID RSS_MB LAG ENDPOINT
  local name spec proc pid state rss lag port text
  while read -r name; do
    spec="$(describe_process "$name")"; proc="$(pid_name "$name")"
    state="stopped" rss="-" lag="-"
    if pid="$(running_pid "$proc")"; then
      rss=$(( $(rss_kb "$pid") / 1024 ))
      if probe "$(field "$spec" 2)"; then state="healthy"; else state="unhealthy"; rc=1; tail -n 8 "$LOG_DIR/$proc.log" | sed 's/^/    /' >&2 || true; fi
      if [[ " ${PROCESSORS[*]} " == *" $name "* ]]; then
        port="$(bash "$LOCAL_DIR/streams.sh" port "$name")"
        text="$(curl -sf --max-time 5 "http://127.0.0.1:$port/metrics")" && lag="$(metric_sum stream_consumer_lag <<< "$text")"
      fi
    else
      pid="-"; rc=1
    fi
    printf '%-16s %-9s %-8s %-7s %-10s %s\n' "$name" "$state" "$pid" "$rss" "$lag" "$(field "$spec" 3)"
  done < <(app_processes)
  return $rc
}

cmd_down() {
  local names=() name
  mapfile -t names < <(app_processes)
  # Reverse order: the API and the loops first, then the processors (each drains its batch).
  for (( i=${#names[@]}-1; i>=0; i-- )); do
    name="${names[$i]}"
    stop_pid "$(pid_name "$name")" 30
  done
}

main() {
  local command="${1:-}"; shift || true
  case "$command" in
    up) cmd_up "$@" ;;
    status) cmd_status ;;
    down) cmd_down ;;
    caught-up) wait_caught_up "${1:-1800}" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
