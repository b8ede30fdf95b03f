import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createProcessorMetrics } from './processor-metrics.js';
import { startMetricsServer } from './metrics-server.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
});

describe('metrics server', () => {
  it('serves the processor metrics with the processor label, and health', async () => {
    const metrics = createProcessorMetrics('features');
    metrics.events.inc({ topic: 'events.interactions.v1' }, 3);
    let healthy = true;
    server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, isHealthy: () => healthy });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('stream_events_total{topic="events.interactions.v1",processor="features"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    healthy = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
