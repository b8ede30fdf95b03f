import { runProcess } from '@streamrec/foundation/process';
import { environmentVariables, loadFeaturesConfig } from './config.js';
import { startFeatures } from './app.js';

runProcess({
  name: 'features',
  usage: `Usage: tsx streams/features/src/main.ts [--help]

Runs the features stream processor: the user stage (events.interactions.v1 → user features in Redis
and repartition.item-activity.v1) and the item stage (repartition.item-activity.v1 → item features),
with the item catalogue read from events.items.v1. Metrics on /metrics and /healthz.`,
  environmentVariables,
  loadConfig: () => loadFeaturesConfig(),
  start: startFeatures,
});
