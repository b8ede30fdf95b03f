#!/usr/bin/env bash
# Installs what the local stack needs, idempotently: Debian packages (MariaDB, Redis, ClickHouse 18.16,
# curl, Prometheus, Alertmanager, the Redis exporter) and the Kafka / Kafka Connect / Debezium / JMX exporter
# jars resolved from Maven Central. Safe to re-run:
# it only does work when something is missing or the poms changed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_debian_packages() {
  local missing=()
  command -v mariadbd >/dev/null || missing+=(mariadb-server)
  command -v mariadb >/dev/null || missing+=(mariadb-client)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  command -v clickhouse-server >/dev/null || missing+=(clickhouse-server)
  command -v clickhouse-client >/dev/null || missing+=(clickhouse-client)
  command -v curl >/dev/null || missing+=(curl)
  # Monitoring (monitoring/README.md): Prometheus (with promtool), Alertmanager (with amtool), the Redis exporter.
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
  command -v prometheus-redis-exporter >/dev/null || missing+=(prometheus-redis-exporter)
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  # infra/compose/compose.test.ts checks the compose file with `docker-compose config` (no engine needed).
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  # The data-quality report's browser test renders its HTML in headless Chromium (driven by playwright-core).
  command -v chromium >/dev/null || missing+=(chromium)
  (( ${#missing[@]} == 0 )) && return 0
  [[ $(id -u) == 0 ]] || die "missing packages (${missing[*]}): run as root or install them: apt-get install ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  # The packages' own system services must not start: the stack runs its own instances on its own ports.
  local policy=/usr/sbin/policy-rc.d backup=""
  if [[ -e $policy ]]; then backup="$(mktemp)"; cp -p "$policy" "$backup"; fi
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    > "$LOG_DIR/install-apt.log" 2>&1 || rc=$?
  if [[ -n $backup ]]; then mv "$backup" "$policy"; else rm -f "$policy"; fi
  (( rc == 0 )) || { tail -n 30 "$LOG_DIR/install-apt.log" >&2; die "apt-get install failed"; }
}

# Copies a pom's runtime dependencies into a folder, unless the same pom was already resolved there.
resolve_jars() {
  local pom="$1" target="$2"; shift 2
  local stamp="$target/.pom.sha256" want
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then return 0; fi
  log "resolving jars for $(basename "$(dirname "$pom")") from Maven Central"
  rm -rf "$target"; mkdir -p "$target"
  mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$target" "$@" \
    > "$LOG_DIR/install-maven.log" 2>&1 || { tail -n 30 "$LOG_DIR/install-maven.log" >&2; die "maven resolution failed"; }
  echo "$want" > "$stamp"
}

# infra/k8s/manifests.test.ts renders the overlays with kustomize: kubectl's built-in one, or kustomize
# itself built from the Go module proxy into .stack/bin when kubectl is missing.
install_kustomize() {
  command -v kubectl >/dev/null && return 0
  [[ -x "$STACK_DIR/bin/kustomize" ]] && return 0
  command -v go >/dev/null || die "kustomize: neither kubectl nor go is installed (apt-get install golang-go, or install kubectl)"
  log "building kustomize v5.7.1 into $STACK_DIR/bin"
  mkdir -p "$STACK_DIR/bin"
  GOBIN="$STACK_DIR/bin" go install sigs.k8s.io/kustomize/kustomize/v5@v5.7.1 > "$LOG_DIR/install-kustomize.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/install-kustomize.log" >&2; die "building kustomize failed"; }
}

main() {
  ensure_dirs
  install_debian_packages
  install_kustomize
  resolve_jars "$LOCAL_DIR/maven/kafka/pom.xml" "$LIB_DIR/kafka"
  # Kafka's own classes and the native compression libs come from the worker; the plugin keeps the rest.
  resolve_jars "$LOCAL_DIR/maven/debezium/pom.xml" "$LIB_DIR/connect-plugins/debezium-connector-mariadb" \
    -DexcludeGroupIds=org.apache.kafka,org.slf4j,org.lz4,org.xerial.snappy,com.github.luben
  # The JMX exporter Java agent for the Kafka and Connect JVMs (a shaded jar: nothing transitive).
  resolve_jars "$LOCAL_DIR/maven/jmx-exporter/pom.xml" "$LIB_DIR/jmx-exporter" -DexcludeTransitive=true
}

main "$@"
