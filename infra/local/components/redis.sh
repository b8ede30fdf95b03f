# Redis (Debian redis-server): online features and recall indexes.

REDIS_CONF="$CONF_DIR/redis.conf"

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
CONF
}

redis_health() { [[ "$(redis-cli -h "$STREAMREC_HOST" -p "$STREAMREC_REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_start() {
  redis_render_config
  spawn redis redis-server "$REDIS_CONF"
  wait_healthy redis 30 redis_health
}

redis_stop() { stop_pid redis 30; }

redis_describe() { echo "redis     $STREAMREC_HOST:$STREAMREC_REDIS_PORT"; }
