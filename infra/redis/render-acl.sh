#!/bin/sh
# Prints Redis's ACL file: one user per role (docs/OPERATIONS.md "Who may do what"); nobody gets in without one.
# Passwords come from the environment (STREAMREC_REDIS_<ROLE>_PASSWORD); only their SHA-256 is printed.
# Used by the local stack (infra/local/components/redis.sh), compose (infra/compose/docker-compose.yml) and
# the Kubernetes Redis pods (infra/k8s/base/redis/redis.yaml, a generated copy), so all run the same rules.
# POSIX sh: it also runs in the redis image.
set -eu

hash() {
  if [ -z "$2" ]; then echo "render-acl.sh: $1 is empty" >&2; exit 1; fi
  printf '%s' "$2" | sha256sum | cut -d' ' -f1
}

admin="$(hash STREAMREC_REDIS_ADMIN_PASSWORD "${STREAMREC_REDIS_ADMIN_PASSWORD:-}")"
processor="$(hash STREAMREC_REDIS_PROCESSOR_PASSWORD "${STREAMREC_REDIS_PROCESSOR_PASSWORD:-}")"
api="$(hash STREAMREC_REDIS_API_PASSWORD "${STREAMREC_REDIS_API_PASSWORD:-}")"
monitor="$(hash STREAMREC_REDIS_MONITOR_PASSWORD "${STREAMREC_REDIS_MONITOR_PASSWORD:-}")"
# Kubernetes only (infra/k8s/base/redis/redis.yaml): replicas log in to their master as streamrec-replication
# (masteruser/masterauth). The local stack and compose set no STREAMREC_REDIS_REPLICATION_PASSWORD and get
# the file without it, as before. A replicated Redis has masterauth in its config, which CONFIG GET would
# show, so there the monitor loses CONFIG GET (the exporter skips it) and gains CLUSTER INFO.
replication=""
replicated_monitor=""
if [ -n "${STREAMREC_REDIS_REPLICATION_PASSWORD:-}" ]; then
  replication="$(hash STREAMREC_REDIS_REPLICATION_PASSWORD "$STREAMREC_REDIS_REPLICATION_PASSWORD")"
  replicated_monitor=" -config|get +cluster|info"
fi

# Nobody gets in without a user: the default user's password is the hash of random bytes nobody keeps, so
# AUTH as default never succeeds and an unauthenticated connection gets NOAUTH. It is not `off`, and keeps
# every right, because Redis replays the AOF as the default user and re-checks its rights at each EXEC: a
# default user that is off or limited silently drops every transaction and script effect from the AOF on
# restart (redis/redis#14541, fixed after 7.2; Debian's 7.0 has the bug).
unguessable="$(head -c 32 /dev/urandom | sha256sum | cut -d' ' -f1)"
echo "user default on #$unguessable ~* &* +@all"
# Operators and the jobs that rebuild or erase state (replay, erase, eval, the benches): everything.
echo "user streamrec-admin on #$admin ~* &* +@all"
# Stream processors: read and write the state keys, run the apply script; no admin or dangerous command
# (FLUSHALL, KEYS, CONFIG, DEBUG, SHUTDOWN, ...), no pub/sub.
echo "user streamrec-processor on #$processor resetchannels ~sr:* -@all +@read +@write +@keyspace +@scripting +@transaction +@connection -@dangerous -@admin +info"
# The API: reads the state keys, writes only its shared rate-limit counters.
echo "user streamrec-api on #$api resetchannels %R~sr:* ~sr:ratelimit:* -@all +@read +@write +@keyspace +@scripting +@transaction +@connection -@dangerous -@admin +info"
# The exporter and health checks: server statistics only, no key.
echo "user streamrec-monitor on #$monitor resetchannels -@all +@connection +info +config|get +slowlog|get +slowlog|len +latency|latest +latency|histogram +dbsize +memory|stats$replicated_monitor"
# Replicas towards their master: the replication handshake and stream only, no key command.
if [ -n "$replication" ]; then echo "user streamrec-replication on #$replication resetchannels -@all +psync +replconf +ping"; fi
