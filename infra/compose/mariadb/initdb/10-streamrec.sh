# Sourced by the mariadb image's entrypoint on the first start (empty data volume), after it has
# started a temporary server; docker_process_sql comes from that entrypoint. Mirrors
# mariadb_bootstrap in infra/local/components/mariadb.sh, with users allowed from the compose
# network ('%') instead of 127.0.0.1. Passwords come from the container's environment (.env).
# To apply a schema change to an existing volume, run the same statements by hand (see
# docs/deployment.md) or recreate the volume.

: "${STREAMREC_MARIADB_APP_PASSWORD:?}" "${STREAMREC_MARIADB_CDC_PASSWORD:?}"

docker_process_sql <<SQL
CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS matomo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'streamrec'@'%' IDENTIFIED BY '${STREAMREC_MARIADB_APP_PASSWORD}';
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'streamrec'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE ON matomo.* TO 'streamrec'@'%';
-- The privileges the Debezium MariaDB connector documents, plus BINLOG MONITOR (MariaDB >= 10.5): the
-- server-wide ones for the binlog and the snapshot, reading (and locking) only the captured databases.
CREATE USER IF NOT EXISTS 'debezium'@'%' IDENTIFIED BY '${STREAMREC_MARIADB_CDC_PASSWORD}';
GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO 'debezium'@'%';
GRANT SELECT, LOCK TABLES ON shop.* TO 'debezium'@'%';
GRANT SELECT, LOCK TABLES ON matomo.* TO 'debezium'@'%';
FLUSH PRIVILEGES;
SQL

# The source schemas, one database each (the files have no CREATE DATABASE / USE on purpose).
for file in /streamrec/sql/shop*.sql; do [ -e "$file" ] && docker_process_sql --database=shop < "$file"; done
for file in /streamrec/sql/matomo*.sql; do [ -e "$file" ] && docker_process_sql --database=matomo < "$file"; done
