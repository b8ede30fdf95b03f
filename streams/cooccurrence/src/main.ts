import { runProcess } from '@streamrec/foundation/process';
import { environmentVariables, loadCooccurrenceConfig } from './config.js';
import { startCooccurrence } from './app.js';

runProcess({
  name: 'cooccurrence',
  usage: `Usage: tsx streams/cooccurrence/src/main.ts [--help]

Runs the cooccurrence stream processor: the user stage (events.interactions.v1 → each user's window
in Redis and co-items records on repartition.item-activity.v1) and the item stage
(repartition.item-activity.v1 → item neighbours, transitions and recent users). Metrics on
/metrics and /healthz.`,
  environmentVariables,
  loadConfig: () => loadCooccurrenceConfig(),
  start: startCooccurrence,
});
