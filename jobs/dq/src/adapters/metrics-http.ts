import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Prometheus' text exposition format. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsEndpoint {
  readonly port: number;
  /** Replaces what /metrics serves (the newest metrics.prom). */
  update(text: string): void;
  close(): Promise<void>;
}

/**
 * /metrics (the last run's figures, prepared as text: nothing is computed per scrape) and /healthz. Before
 * the first run finishes /metrics is empty, so dq_last_run_timestamp_seconds is absent and DataQualityStale
 * can fire if it stays so.
 */
export async function serveMetrics(host: string, port: number, initial = ''): Promise<MetricsEndpoint> {
  let text = initial;
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (request.url === '/metrics') {
      response.writeHead(200, { 'content-type': CONTENT_TYPE }).end(text);
      return;
    }
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise());
  });
  return {
    port: (server.address() as AddressInfo).port,
    update(next) {
      text = next;
    },
    close: () =>
      new Promise<void>((resolvePromise, reject) => {
        server.close((error) => (error === undefined ? resolvePromise() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
