# Redis exporter (Debian prometheus-redis-exporter) for the stack's Redis: memory against maxmemory,
# clients, commands, keys, AOF state. Scraped by Prometheus as job `redis` (monitoring/README.md).

redis-exporter_url() { echo "http://$STREAMREC_HOST:$STREAMREC_REDIS_EXPORTER_PORT"; }

# A real scrape that reached Redis (redis_up 1), not just an open port.
redis-exporter_health() { curl -sf --max-time 5 "$(redis-exporter_url)/metrics" 2>/dev/null | grep -qx 'redis_up 1'; }

redis-exporter_start() {
  # Flags only (no config file to render): the address of the stack's Redis and where to listen.
  # It logs in as the monitor user; the password goes by environment (spawn logs its command line).
  REDIS_USER=streamrec-monitor REDIS_PASSWORD="$STREAMREC_REDIS_MONITOR_PASSWORD" spawn redis-exporter prometheus-redis-exporter \
    -redis.addr "redis://$STREAMREC_HOST:$STREAMREC_REDIS_PORT" \
    -web.listen-address "$STREAMREC_HOST:$STREAMREC_REDIS_EXPORTER_PORT" \
    -include-system-metrics=false -log-format=txt
  wait_healthy redis-exporter 30 redis-exporter_health
}

redis-exporter_stop() { stop_pid redis-exporter 10; }

redis-exporter_describe() { echo "redis-exporter $(redis-exporter_url)/metrics (job redis)"; }
