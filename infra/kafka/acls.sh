# The Kafka principals of the local stack and what each may do: one SCRAM-SHA-512 user per role, with
# ACLs under StandardAuthorizer and `allow.everyone.if.no.acl.found=false` (infra/local/components/kafka.sh
# applies them; docs/OPERATIONS.md "Who may do what"). Sourced, never run.
#
# Each line of kafka_acl_grants is one `AclCommand --add` call: the principal's role, then its arguments.
# Patterns are prefixed unless the line says literal. Nothing here may create, delete or alter a topic:
# topics are made by `npm run topics -- apply` as streamrec-admin.
#
# - streamrec-broker: the broker itself (controller and inter-broker listeners, PLAIN, from its own
#   properties file); super user.
# - streamrec-admin: operators' tools (topics, replay, erase, eval, dq, drills, benches, tests); super user.
# - streamrec-processor: the stream processors read the CDC and event topics, write events, repartition
#   and dead letters (never cdc.*), in their own consumer groups and transactional ids.
# - streamrec-api: writes interactions and exposures, reads the catalogue and model publications.
# - streamrec-model: retrain and the model CLI publish and read models.*.
# - streamrec-connect: Kafka Connect + Debezium write cdc.* and their own internal topics.

KAFKA_SUPER_ROLES=(broker admin)
KAFKA_CLIENT_ROLES=(admin processor api model connect)

kafka_acl_grants() {
  cat <<'GRANTS'
processor --operation Read --operation Describe --topic cdc. --topic events. --topic repartition. --topic serving. --resource-pattern-type prefixed
processor --operation Write --operation Describe --topic events. --topic repartition. --topic dlq. --resource-pattern-type prefixed
processor --operation Read --operation Describe --operation Delete --group streamrec-normalize --group features- --group cooccurrence- --group trending- --group clickhouse-sink- --resource-pattern-type prefixed
processor --operation Create --topic repartition. --topic events.cooccurrence. --resource-pattern-type prefixed
processor --operation Write --operation Describe --transactional-id cooccurrence- --resource-pattern-type prefixed
api --operation Write --operation Describe --topic events.interactions.v1 --topic serving.exposures.v1 --resource-pattern-type literal
api --operation Read --operation Describe --topic events.items.v1 --topic models.published.v1 --resource-pattern-type literal
api --operation Read --operation Describe --operation Delete --group streamrec-api- --resource-pattern-type prefixed
model --operation Read --operation Write --operation Describe --topic models. --resource-pattern-type prefixed
model --operation Read --operation Describe --operation Delete --group streamrec-model- --group streamrec-retrain --resource-pattern-type prefixed
connect --operation All --topic _connect- --topic _schema-history. --topic _heartbeat --resource-pattern-type prefixed
connect --operation Write --operation Describe --operation Create --operation DescribeConfigs --topic cdc. --resource-pattern-type prefixed
connect --operation Read --operation Describe --group streamrec-connect --group cdc --resource-pattern-type prefixed
connect --operation Describe --operation DescribeConfigs --cluster
GRANTS
}
