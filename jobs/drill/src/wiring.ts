import { setTimeout as sleep } from 'node:timers/promises';
import { apiProbe } from './adapters/api.js';
import { runCommand } from './adapters/commands.js';
import { connectProbe } from './adapters/connect.js';
import { fileAccess } from './adapters/files.js';
import { kafkaProbe } from './adapters/kafka.js';
import { processControl } from './adapters/processes.js';
import { prometheusAlerts } from './adapters/prometheus.js';
import { shopProbe } from './adapters/shop.js';
import type { DrillSettings } from './config.js';
import type { DrillWorld } from './domain/world.js';

/** The running system as the drills see it; `close` releases the connections. */
export function createDrillWorld(settings: DrillSettings, echo: (line: string) => void): { world: DrillWorld; close: () => Promise<void> } {
  const run: DrillWorld['run'] = (command, options) => runCommand(settings.repoRoot, command, { ...options, echo });
  const shop = shopProbe(settings, run);
  const kafka = kafkaProbe(settings.kafka);
  const world: DrillWorld = {
    time: { now: () => performance.now(), sleep: (ms) => sleep(ms) },
    run,
    alerts: prometheusAlerts(settings.prometheusUrl),
    api: apiProbe(settings.apiUrl, settings.apiOpsUrl, settings.apiKey),
    connect: connectProbe(settings.connectUrl, settings.connectorName),
    shop,
    kafka,
    processes: processControl(run),
    files: fileAccess(settings.repoRoot),
  };
  return {
    world,
    close: async () => {
      await Promise.allSettled([shop.close(), kafka.close()]);
    },
  };
}
