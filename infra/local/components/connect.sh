# Kafka Connect (distributed mode) with the Debezium MariaDB connector on its plugin path.

CONNECT_PROPS="$CONF_DIR/connect-distributed.properties"
CONNECT_HEAP="${STREAMREC_CONNECT_HEAP:--Xms256m -Xmx768m}"

connect_render_config() {
  render_log4j2
  # The worker and every client it makes (source tasks' producers, its consumers and admin) log in as the
  # SCRAM user streamrec-connect (infra/kafka/acls.sh); the file holds its password, readable by this user.
  local jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"streamrec-connect\" password=\"$STREAMREC_KAFKA_CONNECT_PASSWORD\";"
  local prefix security=""
  for prefix in "" producer. consumer. admin.; do
    security+="${prefix}security.protocol=SASL_PLAINTEXT"$'\n'"${prefix}sasl.mechanism=SCRAM-SHA-512"$'\n'"${prefix}sasl.jaas.config=$jaas"
    [[ $prefix == admin. ]] || security+=$'\n'
  done
  ( umask 077
  cat > "$CONNECT_PROPS" <<PROPS
bootstrap.servers=$STREAMREC_HOST:$STREAMREC_KAFKA_PORT
${security}
group.id=streamrec-connect
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=false
value.converter.schemas.enable=false
config.storage.topic=_connect-configs
offset.storage.topic=_connect-offsets
status.storage.topic=_connect-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
offset.storage.partitions=5
status.storage.replication.factor=1
status.storage.partitions=1
# Flush source offsets every second: after a crash Debezium re-sends at most ~1 s of changes.
offset.flush.interval.ms=1000
# One worker locally: when it dies and comes back, reassign its connector and tasks after 5 s
# instead of the default 5 minutes that waits for a departed worker in a multi-worker cluster.
scheduled.rebalance.max.delay.ms=5000
listeners=http://$STREAMREC_HOST:$STREAMREC_CONNECT_PORT
rest.advertised.host.name=$STREAMREC_HOST
rest.advertised.port=$STREAMREC_CONNECT_PORT
plugin.path=$LIB_DIR/connect-plugins
topic.creation.enable=true
# Source tasks' producers: idempotent, acknowledged by every in-sync replica (schemas/topics.json durability).
producer.acks=all
producer.enable.idempotence=true
# Secrets stay out of connector configs: they reference \${env:STREAMREC_...} instead.
config.providers=env
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
config.providers.env.param.allowlist.pattern=^STREAMREC_.*\$
# Connector configs may not override their clients' settings (no other brokers, credentials or
# security settings through a connector); the producers' linger is set here for every source task.
connector.client.config.override.policy=None
producer.linger.ms=5
PROPS
  )
}

connect_url() { echo "http://$STREAMREC_HOST:$STREAMREC_CONNECT_PORT"; }

# The REST API answers and the Debezium plugin is loaded.
connect_health() {
  curl -sf --max-time 3 "$(connect_url)/connector-plugins" 2>/dev/null | grep -q 'io.debezium.connector.mariadb.MariaDbConnector'
}

connect_start() {
  connect_render_config
  # shellcheck disable=SC2086
  spawn connect java $CONNECT_HEAP $(jvm_common_opts) $(jmx_agent_opt connect "$STREAMREC_CONNECT_JMX_PORT") -cp "$(java_classpath)" \
    org.apache.kafka.connect.cli.ConnectDistributed "$CONNECT_PROPS"
  wait_healthy connect 120 connect_health
}

connect_stop() { stop_pid connect 60; }

connect_describe() { echo "connect   $(connect_url) (REST)"; }
