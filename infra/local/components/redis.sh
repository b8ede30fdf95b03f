# Redis (Debian redis-server): online features and recall indexes.

REDIS_CONF="$CONF_DIR/redis.conf"
REDIS_ACL="$CONF_DIR/redis-users.acl"

redis_render_config() {
  mkdir -p "$DATA_DIR/redis"
  cat > "$REDIS_CONF" <<CONF
bind $STREAMREC_HOST
port $STREAMREC_REDIS_PORT
protected-mode yes
daemonize no
dir $DATA_DIR/redis
# AOF so that online state survives a restart of the local stack; fsync every second.
appendonly yes
appendfsync everysec
save ""
maxmemory 2gb
maxmemory-policy noeviction
# ACL users, one per role (infra/redis/render-acl.sh; docs/OPERATIONS.md "Who may do what").
aclfile $REDIS_ACL
CONF
  # Only the passwords' SHA-256 is in the file; the clear ones are in .stack/secrets.env.
  ( umask 077; sh "$REPO_ROOT/infra/redis/render-acl.sh" > "$REDIS_ACL" )
}

# redis-cli as a role's ACL user; the password goes by environment, never on the command line.
redis_cli_as() {
  local role="$1"; shift
  local variable="STREAMREC_REDIS_${role^^}_PASSWORD"
  REDISCLI_AUTH="${!variable}" redis-cli --user "streamrec-$role" -h "$STREAMREC_HOST" -p "$STREAMREC_REDIS_PORT" "$@"
}

redis_health() { [[ "$(redis_cli_as monitor ping 2>/dev/null)" == PONG ]]; }

redis_start() {
  redis_render_config
  spawn redis redis-server "$REDIS_CONF"
  wait_healthy redis 30 redis_health
}

redis_stop() { stop_pid redis 30; }

redis_describe() { echo "redis     $STREAMREC_HOST:$STREAMREC_REDIS_PORT"; }
