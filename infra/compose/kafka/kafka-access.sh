#!/usr/bin/env bash
# Kafka logins for compose, run with the broker's own PLAIN user (STREAMREC_KAFKA_BROKER_PASSWORD):
#   kafka-access.sh health                 the kafka service's healthcheck: a DescribeCluster round trip
#   kafka-access.sh provision <acls.sh>    the one-shot kafka-init: a SCRAM-SHA-512 user per client role of
#                                          infra/kafka/acls.sh with the ACLs its kafka_acl_grants lists, as
#                                          infra/local/components/kafka.sh's kafka_provision does
# Re-running provision is harmless (a credential is set again, an ACL added twice is one ACL). Like the
# local stack it never removes an ACL: after narrowing a grant, remove the old one by hand
# (docs/deployment.md). infra/compose/kafka-access.test.ts runs provision with stand-in Kafka tools.
set -euo pipefail

KAFKA_BIN="${KAFKA_BIN:-/opt/kafka/bin}"

# The broker's client settings, in a file only this user reads (on /tmp), removed on exit.
broker_client_properties() {
  BROKER_PROPS="$(mktemp)"
  trap 'rm -f "$BROKER_PROPS"' EXIT
  cat > "$BROKER_PROPS" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="streamrec-broker" password="${STREAMREC_KAFKA_BROKER_PASSWORD:?}";
PROPS
}

health() {
  broker_client_properties
  # KAFKA_OPTS cleared: the check's JVM must not start a second JMX exporter on the broker's port.
  # grep reads to the end (not -q): with pipefail an early exit would fail the pipe on SIGPIPE.
  KAFKA_OPTS='' KAFKA_HEAP_OPTS=-Xmx64m "$KAFKA_BIN/kafka-cluster.sh" cluster-id --bootstrap-server "${KAFKA_BOOTSTRAP:-localhost:9092}" --config "$BROKER_PROPS" | grep 'Cluster ID' > /dev/null
}

provision() {
  local acls="${1:?usage: kafka-access.sh provision <acls.sh>}" bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}" role variable line
  # shellcheck source=../../kafka/acls.sh
  source "$acls"
  broker_client_properties
  for role in "${KAFKA_CLIENT_ROLES[@]}"; do
    variable="STREAMREC_KAFKA_${role^^}_PASSWORD"
    [[ -n "${!variable:-}" ]] || { echo "kafka-init: $variable is not set" >&2; exit 1; }
    # The password goes into a SCRAM config ([...=...,...]) and the clients' JAAS strings ("...").
    if [[ "${!variable}" =~ [],=\"\\[] ]]; then echo "kafka-init: $variable may not contain , = [ ] \" or \\" >&2; exit 1; fi
    "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$BROKER_PROPS" \
      --alter --add-config "SCRAM-SHA-512=[iterations=8192,password=${!variable}]" --entity-type users --entity-name "streamrec-$role" > /dev/null
  done
  while read -r role line; do
    [[ -n $role ]] || continue
    # shellcheck disable=SC2086 # the grant's words are AclCommand arguments
    "$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$BROKER_PROPS" \
      --add --force --allow-principal "User:streamrec-$role" $line > /dev/null
  done < <(kafka_acl_grants)
  echo "kafka-init: SCRAM users and ACLs of ${KAFKA_CLIENT_ROLES[*]} applied"
}

case "${1:-}" in
  health) health ;;
  provision) shift; provision "$@" ;;
  *) echo "usage: kafka-access.sh health | provision <acls.sh>" >&2; exit 2 ;;
esac
