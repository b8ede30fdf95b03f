import type { ConnectProbe } from '../domain/world.js';

/** The CDC connector through Kafka Connect's REST API. */
export function connectProbe(baseUrl: string, name: string): ConnectProbe {
  const url = (suffix: string): URL => new URL(`/connectors/${encodeURIComponent(name)}${suffix}`, baseUrl);
  return {
    connectorName: name,
    async state() {
      const response = await fetch(url('/status'), { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`Connect answered ${response.status} for ${name}`);
      const status = (await response.json()) as { connector: { state: string }; tasks: { state: string; trace?: string }[] };
      const failed = status.tasks.find((task) => task.trace !== undefined);
      return { connector: status.connector.state, tasks: status.tasks.map((task) => task.state), trace: failed?.trace?.split('\n').slice(0, 3).join(' | ') };
    },
    async config() {
      const response = await fetch(url('/config'), { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`Connect answered ${response.status} for ${name}'s config`);
      return (await response.json()) as Record<string, string>;
    },
    async putConfig(config) {
      const response = await fetch(url('/config'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config), signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`Connect refused the config: ${response.status} ${await response.text()}`);
    },
    async restart() {
      const response = await fetch(url('/restart?includeTasks=true'), { method: 'POST', signal: AbortSignal.timeout(30_000) });
      if (!response.ok) throw new Error(`Connect refused the restart: ${response.status} ${await response.text()}`);
    },
  };
}
