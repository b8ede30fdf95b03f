# syntax=docker/dockerfile:1.7
#
# Kafka and Kafka Connect for docker compose, the same versions the local stack resolves from Maven
# Central (infra/local/maven: Kafka 4.1.1, Debezium MariaDB connector 3.5.0.Final):
#
#   docker build -f infra/docker/kafka.Dockerfile --target kafka   -t streamrec/kafka:4.1.1 infra/docker
#   docker build -f infra/docker/kafka.Dockerfile --target connect -t streamrec/connect:4.1.1-dbz3.5.0 infra/docker
#
# Both add the Prometheus JMX exporter as a Java agent (enabled through KAFKA_OPTS in compose).
# Kubernetes does not use these images: Strimzi runs its own Kafka images and builds the Connect
# image with the Debezium plugin itself (infra/k8s/base/kafka/connect.yaml).
# Every download is pinned by checksum, so a changed artifact fails the build.

ARG KAFKA_IMAGE=apache/kafka:4.1.1

FROM ${KAFKA_IMAGE} AS kafka
USER root
ADD --chmod=644 \
    --checksum=sha256:7d61f737fd661610ccc14aea79764faa1ea94a340cbc8f0029b3d2edea3d80c1 \
    https://repo1.maven.org/maven2/io/prometheus/jmx/jmx_prometheus_javaagent/1.0.1/jmx_prometheus_javaagent-1.0.1.jar \
    /opt/jmx-exporter/jmx_prometheus_javaagent.jar
# The data directory exists in the image with the broker's owner, so an empty named volume mounted
# on it inherits that owner (the broker does not run as root).
RUN mkdir -p /var/lib/kafka/data && chown -R appuser:appuser /var/lib/kafka
USER appuser

# Debezium's plugin archive is the connector jar plus exactly the dependencies it needs beside a
# Kafka Connect worker (the local stack gets the same set from Maven with Kafka's own jars excluded).
FROM kafka AS connect
USER root
ADD --checksum=sha256:1ccab832edc5d1e667607361905e70689a308c9e5cb1561d79808084811e938f \
    https://repo1.maven.org/maven2/io/debezium/debezium-connector-mariadb/3.5.0.Final/debezium-connector-mariadb-3.5.0.Final-plugin.tar.gz \
    /tmp/debezium-connector-mariadb.tar.gz
# curl for the compose healthcheck (REST API answers and lists the Debezium plugin); the base image
# is Alpine-based today, the apt branch keeps the build working if it moves to Debian.
RUN (command -v apk >/dev/null && apk add --no-cache curl) \
    || (apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*)
RUN mkdir -p /opt/connect-plugins \
 && tar -xzf /tmp/debezium-connector-mariadb.tar.gz -C /opt/connect-plugins \
 && rm /tmp/debezium-connector-mariadb.tar.gz \
 && chown -R root:root /opt/connect-plugins && chmod -R a+rX /opt/connect-plugins
USER appuser
CMD ["/opt/kafka/bin/connect-distributed.sh", "/etc/streamrec/connect-distributed.properties"]
