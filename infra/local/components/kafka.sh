# Apache Kafka 4.1 in KRaft mode (one combined broker/controller), from jars Maven resolved.
# Clients authenticate with SASL/SCRAM-SHA-512, one user per role, and may do only what their ACLs allow
# (infra/kafka/acls.sh). The broker's own identity (controller and inter-broker traffic, provisioning) is a
# PLAIN user declared in its properties file, which holds its password and is readable by this user only.
source "$REPO_ROOT/infra/kafka/acls.sh"

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

KAFKA_BROKER_CLIENT_PROPS="$CONF_DIR/kafka-broker-client.properties"
KAFKA_ADMIN_CLIENT_PROPS="$CONF_DIR/kafka-admin-client.properties"

plain_jaas() { echo "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"streamrec-broker\" password=\"$STREAMREC_KAFKA_BROKER_PASSWORD\"$1;"; }
scram_jaas() { echo "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$1\" password=\"$2\";"; }

kafka_render_config() {
  render_log4j2
  local broker_plain
  broker_plain="$(plain_jaas " user_streamrec-broker=\"$STREAMREC_KAFKA_BROKER_PASSWORD\"")"
  ( umask 077
  cat > "$KAFKA_PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$STREAMREC_HOST:$STREAMREC_KAFKA_CONTROLLER_PORT
listeners=SASL_PLAINTEXT://$STREAMREC_HOST:$STREAMREC_KAFKA_PORT,CONTROLLER://$STREAMREC_HOST:$STREAMREC_KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://$STREAMREC_HOST:$STREAMREC_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
# Clients: SCRAM-SHA-512 users (credentials in the cluster metadata, added by kafka_provision). PLAIN
# knows only the broker's own user, for its controller and inter-broker connections and for provisioning
# (SCRAM users cannot be added before one exists, nor through the controller listener).
sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
sasl.mechanism.controller.protocol=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$broker_plain
listener.name.sasl_plaintext.plain.sasl.jaas.config=$broker_plain
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=$(printf 'User:streamrec-%s;' "${KAFKA_SUPER_ROLES[@]}" | sed 's/;$//')
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
  cat > "$KAFKA_BROKER_CLIENT_PROPS" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=$(plain_jaas "")
PROPS
  cat > "$KAFKA_ADMIN_CLIENT_PROPS" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=$(scram_jaas streamrec-admin "$STREAMREC_KAFKA_ADMIN_PASSWORD")
PROPS
  )
}

kafka_tool() {
  java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" -cp "$(java_classpath)" "$@"
}

# The SCRAM users of every client role and their ACLs. Run after each start and by `stack.sh up` on a
# running broker; skipped when the passwords and grants are those already applied to this data directory
# (a hash in it), so a stack reset or a new password re-provisions. Adding an ACL twice is a no-op.
kafka_provision() {
  local want marker="$KAFKA_DATA/.streamrec-provisioned" role password_var line
  want="$( { for role in "${KAFKA_CLIENT_ROLES[@]}"; do password_var="STREAMREC_KAFKA_${role^^}_PASSWORD"; echo "$role ${!password_var}"; done; kafka_acl_grants; } | sha256sum | cut -c1-64)"
  [[ -f $marker && "$(cat "$marker")" == "$want" ]] && return 0
  log "kafka: provisioning SCRAM users (${KAFKA_CLIENT_ROLES[*]}) and their ACLs"
  for role in "${KAFKA_CLIENT_ROLES[@]}"; do
    password_var="STREAMREC_KAFKA_${role^^}_PASSWORD"
    # ConfigCommand takes a SCRAM password only on its command line (--add-config-file mangles the key):
    # it is visible to this machine's process list for the second the tool runs, never logged.
    kafka_tool kafka.admin.ConfigCommand --bootstrap-server "$STREAMREC_HOST:$STREAMREC_KAFKA_PORT" --command-config "$KAFKA_BROKER_CLIENT_PROPS" \
      --alter --add-config "SCRAM-SHA-512=[iterations=8192,password=${!password_var}]" --entity-type users --entity-name "streamrec-$role" >> "$LOG_DIR/kafka.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/kafka.log" >&2; die "kafka: could not set the SCRAM credentials of streamrec-$role"; }
  done
  while read -r role line; do
    [[ -n $role ]] || continue
    # shellcheck disable=SC2086
    kafka_tool org.apache.kafka.tools.AclCommand --bootstrap-server "$STREAMREC_HOST:$STREAMREC_KAFKA_PORT" --command-config "$KAFKA_BROKER_CLIENT_PROPS" \
      --add --force --allow-principal "User:streamrec-$role" $line >> "$LOG_DIR/kafka.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/kafka.log" >&2; die "kafka: could not add the ACL of streamrec-$role: $line"; }
  done < <(kafka_acl_grants)
  echo "$want" > "$marker"
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
    org.apache.kafka.tools.ClusterTool cluster-id --bootstrap-server "$STREAMREC_HOST:$STREAMREC_KAFKA_PORT" --config "$KAFKA_BROKER_CLIENT_PROPS" 2>/dev/null \
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
  kafka_provision
}

kafka_stop() { stop_pid kafka 60; }

kafka_describe() { echo "kafka     $STREAMREC_HOST:$STREAMREC_KAFKA_PORT (SASL/SCRAM; KRaft controller $STREAMREC_KAFKA_CONTROLLER_PORT)"; }
