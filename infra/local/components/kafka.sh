# Apache Kafka 4.1 in KRaft mode (one combined broker/controller), from jars Maven resolved.

KAFKA_DATA="$DATA_DIR/kafka"
KAFKA_PROPS="$CONF_DIR/kafka.properties"
KAFKA_HEAP="${STREAMREC_KAFKA_HEAP:--Xms256m -Xmx512m}"

jvm_common_opts() {
  echo "-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true -Dlog4j2.configurationFile=$CONF_DIR/log4j2.properties"
}

render_log4j2() {
  cat > "$CONF_DIR/log4j2.properties" <<'PROPS'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
logger.connect.name = org.apache.kafka.connect.runtime.Worker
logger.connect.level = INFO
logger.herder.name = org.apache.kafka.connect.runtime.distributed.DistributedHerder
logger.herder.level = INFO
logger.debezium.name = io.debezium
logger.debezium.level = INFO
PROPS
}

kafka_render_config() {
  render_log4j2
  cat > "$KAFKA_PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$STREAMREC_HOST:$STREAMREC_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$STREAMREC_HOST:$STREAMREC_KAFKA_PORT,CONTROLLER://$STREAMREC_HOST:$STREAMREC_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$STREAMREC_HOST:$STREAMREC_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.network.threads=2
num.io.threads=4
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Topics are created on purpose (Debezium topic-creation groups, the project's topic tool), never by typo.
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# models.published.v1 carries ONNX bytes.
message.max.bytes=16777216
replica.fetch.max.bytes=16777216
log.retention.hours=168
PROPS
}

# >>> monitoring: the Prometheus JMX exporter Java agent (jar from infra/local/maven/jmx-exporter, rules in
# monitoring/jmx/<rules>.yml, re-read by the agent when they change), serving /metrics on host:port.
# Nothing when the jar is not resolved, so the JVM starts without it.
jmx_agent_opt() {
  local rules="$1" port="$2" jar
  jar="$(compgen -G "$LIB_DIR/jmx-exporter/jmx_prometheus_javaagent-*.jar" | head -n 1 || true)"
  [[ -n $jar ]] || return 0
  echo "-javaagent:$jar=$STREAMREC_HOST:$port:$REPO_ROOT/monitoring/jmx/$rules.yml"
}
# <<< monitoring

kafka_java() {
  # shellcheck disable=SC2086
  java $KAFKA_HEAP $(jvm_common_opts) -cp "$(java_classpath)" "$@"
}

kafka_health() {
  port_open "$STREAMREC_KAFKA_PORT" || return 1
  # A real metadata round trip (DescribeCluster), not just an open port.
  java -Xmx64m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" -cp "$(java_classpath)" \
    org.apache.kafka.tools.ClusterTool cluster-id --bootstrap-server "$STREAMREC_HOST:$STREAMREC_KAFKA_PORT" 2>/dev/null \
    | grep -q 'Cluster ID'
}

kafka_start() {
  kafka_render_config
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(java -cp "$(java_classpath)" -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" kafka.tools.StorageTool random-uuid)"
    log "kafka: formatting KRaft storage (cluster $cluster_id)"
    java -cp "$(java_classpath)" -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_PROPS" >> "$LOG_DIR/kafka.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/kafka.log" >&2; die "kafka storage format failed"; }
  fi
  # shellcheck disable=SC2086
  spawn kafka java $KAFKA_HEAP $(jvm_common_opts) $(jmx_agent_opt kafka "$STREAMREC_KAFKA_JMX_PORT") -cp "$(java_classpath)" kafka.Kafka "$KAFKA_PROPS"
  wait_healthy kafka 90 kafka_health
}

kafka_stop() { stop_pid kafka 60; }

kafka_describe() { echo "kafka     $STREAMREC_HOST:$STREAMREC_KAFKA_PORT (KRaft controller $STREAMREC_KAFKA_CONTROLLER_PORT)"; }
