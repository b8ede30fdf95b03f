#!/usr/bin/env bash
# A throwaway Kafka cluster beside the local stack, for tests of replication: three KRaft nodes (each broker
# and controller, three voters), PLAINTEXT on $STREAMREC_HOST, from the stack's jars. It shares nothing with
# the stack's broker: everything lives in DIR (conf/, data/node-N, logs/node-N.log, run/node-N.pid).
#   kafka-cluster.sh start DIR BASE_PORT   render, format (the first time) and start the three nodes; node N
#                                          serves clients on BASE_PORT+2(N-1) and its controller on the next port
#   kafka-cluster.sh start-node DIR N      start node N again (after a kill)
#   kafka-cluster.sh stop DIR              SIGKILL every node of DIR (the data is thrown away)
# It does not wait: the caller checks the cluster with a metadata round trip (three brokers registered).
# Used by test/integration/topics-durability-cluster.test.ts.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
(( $# >= 2 )) || { usage >&2; exit 2; }
command="$1"
CLUSTER_DIR="$(cd "$2" && pwd)"

# The stack's helpers (spawn, stop_pid, the log4j2 config) write under these: point them at DIR, never at .stack/.
DATA_DIR="$CLUSTER_DIR/data" LOG_DIR="$CLUSTER_DIR/logs" RUN_DIR="$CLUSTER_DIR/run" CONF_DIR="$CLUSTER_DIR/conf"
# shellcheck source=components/kafka.sh
source "$LOCAL_DIR/components/kafka.sh"
# Three JVMs on a small machine: small heaps, and the C1 compiler only (quicker start, less CPU for the JIT).
KAFKA_HEAP="${STREAMREC_CLUSTER_HEAP:--Xms128m -Xmx256m} -XX:TieredStopAtLevel=1"
NODES=(1 2 3)

node_props() { echo "$CONF_DIR/node-$1.properties"; }

render_node() {
  local node="$1" base="$2" voters="$3"
  local port=$((base + 2 * (node - 1)))
  cat > "$(node_props "$node")" <<PROPS
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=PLAINTEXT://$STREAMREC_HOST:$port,CONTROLLER://$STREAMREC_HOST:$((port + 1))
advertised.listeners=PLAINTEXT://$STREAMREC_HOST:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR/node-$node
num.network.threads=2
num.io.threads=2
background.threads=2
num.partitions=1
default.replication.factor=3
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
PROPS
}

start_node() {
  local node="$1"
  [[ -f "$(node_props "$node")" ]] || die "kafka-cluster: node $node of $CLUSTER_DIR was never started"
  if running_pid "node-$node" >/dev/null; then log "kafka-cluster: node $node already running"; return 0; fi
  # shellcheck disable=SC2086
  spawn "node-$node" java $KAFKA_HEAP $(jvm_common_opts) -cp "$(java_classpath)" kafka.Kafka "$(node_props "$node")"
}

cmd_start() {
  local base="$1" node voters="" cluster_id
  [[ $base =~ ^[0-9]+$ ]] || die "kafka-cluster: BASE_PORT must be a number"
  mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" "$CONF_DIR"
  render_log4j2
  for node in "${NODES[@]}"; do voters+="${voters:+,}$node@$STREAMREC_HOST:$((base + 2 * (node - 1) + 1))"; done
  for node in "${NODES[@]}"; do render_node "$node" "$base" "$voters"; done
  if [[ ! -f "$DATA_DIR/node-1/meta.properties" ]]; then
    cluster_id="$(java -cp "$(java_classpath)" -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" kafka.tools.StorageTool random-uuid)"
    local pids=()
    for node in "${NODES[@]}"; do
      java -Xmx128m -XX:TieredStopAtLevel=1 -cp "$(java_classpath)" -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" \
        kafka.tools.StorageTool format -t "$cluster_id" -c "$(node_props "$node")" >> "$LOG_DIR/format.log" 2>&1 &
      pids+=("$!")
    done
    for node in "${pids[@]}"; do wait "$node" || { tail -n 20 "$LOG_DIR/format.log" >&2; die "kafka-cluster: storage format failed"; }; done
  fi
  for node in "${NODES[@]}"; do start_node "$node"; done
  log "kafka-cluster: started nodes ${NODES[*]} in $CLUSTER_DIR (clients on $STREAMREC_HOST:$base, :$((base + 2)), :$((base + 4)))"
}

cmd_stop() {
  local node pid
  for node in "${NODES[@]}"; do
    if pid="$(running_pid "node-$node")"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for node in "${NODES[@]}"; do
    if pid="$(running_pid "node-$node")"; then
      local waited=0
      while kill -0 "$pid" 2>/dev/null; do
        (( waited < 300 )) || die "kafka-cluster: node $node (pid $pid) still alive 30 s after SIGKILL"
        sleep 0.1; waited=$((waited + 1))
      done
    fi
    rm -f "$(pid_file "node-$node")"
  done
}

case "$command" in
  start) (( $# == 3 )) || { usage >&2; exit 2; }; cmd_start "$3" ;;
  start-node) (( $# == 3 )) && [[ " ${NODES[*]} " == *" $3 "* ]] || { usage >&2; exit 2; }; start_node "$3" ;;
  stop) cmd_stop ;;
  *) usage >&2; exit 2 ;;
esac
