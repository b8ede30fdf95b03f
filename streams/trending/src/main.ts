import { runProcess } from '@streamrec/foundation/process';
import { environmentVariables, loadTrendingConfig } from './config.js';
import { startTrending } from './app.js';

runProcess({
  name: 'trending',
  usage: `Usage: tsx streams/trending/src/main.ts [--help]

Runs the trending stream processor: the item stage (repartition.item-activity.v1 → hot-list buckets
for 1 h, 24 h and 7 days in Redis) and the catalogue relay (events.items.v1 → availability records on
repartition.item-activity.v1 for unavailable or deleted items). Dead letters to dlq.trending.
Metrics on /metrics and /healthz.`,
  environmentVariables,
  loadConfig: () => loadTrendingConfig(),
  start: startTrending,
});
