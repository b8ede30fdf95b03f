import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '@streamrec/foundation/process';
import { clickHouseSystemSource } from './adapters/clickhouse-system.js';
import { connectOffsetsSource } from './adapters/connect-offsets.js';
import { serveHttp, type Reply } from './adapters/http-server.js';
import { mariaDbBinlogSource } from './adapters/mariadb-binlog.js';
import type { StackExporterConfig } from './config.js';
import { binlogFamilies, type MariaDbBinlogState } from './domain/binlog-families.js';
import { clickHouseFamilies, type ClickHouseSystemState } from './domain/clickhouse-families.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from './domain/exposition.js';

export interface RunningStackExporter {
  readonly port: number;
  stop(): Promise<void>;
}

/** The exporter's own figures on /metrics: how each scrape of a source went. */
function createScrapeMetrics(): { registry: Registry; observe(target: string, ok: boolean, seconds: number): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const scrapes = new Counter({ name: 'stack_exporter_scrapes_total', help: 'Scrapes of a source by result (ok: it answered; error: down, refused or slower than the timeout)', labelNames: ['source', 'result'], registers: [registry] });
  const duration = new Gauge({ name: 'stack_exporter_scrape_duration_seconds', help: 'Duration of the last scrape of a source', labelNames: ['source'], registers: [registry] });
  for (const source of ['clickhouse', 'mariadb', 'connect']) for (const result of ['ok', 'error']) scrapes.inc({ source, result }, 0);
  return {
    registry,
    observe(source, ok, seconds) {
      scrapes.inc({ source, result: ok ? 'ok' : 'error' });
      duration.set({ source }, seconds);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * GET /metrics/clickhouse (job `clickhouse`), /metrics/binlog (job `binlog`), /metrics (the exporter
 * itself), /healthz. Every scrape queries its sources then and there, each bounded by the timeout; a
 * source that fails is reported by its `_up` gauge (the scrape itself still succeeds). A source going
 * down or coming back is logged once, not at every scrape.
 */
export async function startStackExporter(config: StackExporterConfig, logger: Logger): Promise<RunningStackExporter> {
  const timeoutMs = config.scrapeTimeoutMs;
  const clickhouse = clickHouseSystemSource({ ...config.clickhouse, timeoutMs });
  const mariadb = mariaDbBinlogSource({ ...config.mariadb, timeoutMs });
  const offsets = await connectOffsetsSource({ url: config.connect.url, stateDir: config.stateDir, timeoutMs, onSaveFailed: (error) => logger.warn({ err: error }, 'could not keep the Connect offsets on disk') });
  const scrapeMetrics = createScrapeMetrics();
  const lastUp = new Map<string, boolean>();
  const observe = async <T>(source: string, read: () => Promise<T>): Promise<T | undefined> => {
    const started = performance.now();
    let value: T | undefined;
    let failure: unknown;
    try {
      value = await withTimeout(read(), timeoutMs, source);
    } catch (error) {
      failure = error;
    }
    scrapeMetrics.observe(source, failure === undefined, (performance.now() - started) / 1000);
    const up = failure === undefined;
    if (lastUp.get(source) !== up) {
      if (up) logger.info({ source }, 'source answers');
      else logger.warn({ source, err: failure }, 'source does not answer');
      lastUp.set(source, up);
    }
    return value;
  };
  const exposition = (text: string): Reply => ({ status: 200, contentType: EXPOSITION_CONTENT_TYPE, body: text });
  const endpoint = await serveHttp({
    host: config.listen.host,
    port: config.listen.port,
    maxBodyBytes: 1024,
    onError: (error, route) => logger.error({ err: error, path: route.path }, 'scrape failed'),
    routes: [
      {
        method: 'GET',
        path: '/metrics/clickhouse',
        handle: async () => exposition(renderExposition(clickHouseFamilies(config.clickhouse.database, await observe<ClickHouseSystemState>('clickhouse', () => clickhouse.read())))),
      },
      {
        method: 'GET',
        path: '/metrics/binlog',
        handle: async () => {
          const [server, read] = await Promise.all([observe<MariaDbBinlogState>('mariadb', () => mariadb.read()), observe('connect', () => offsets.read())]);
          return exposition(renderExposition(binlogFamilies({ mariadb: server, offsets: read ?? offsets.lastRead(), offsetsFresh: read !== undefined })));
        },
      },
      { method: 'GET', path: '/metrics', handle: async () => ({ status: 200, contentType: scrapeMetrics.registry.contentType, body: await scrapeMetrics.registry.metrics() }) },
      { method: 'GET', path: '/healthz', handle: () => ({ status: 200, contentType: 'application/json', body: '{"status":"ok"}' }) },
    ],
  });
  logger.info({ port: endpoint.port }, 'stack exporter listening');
  return {
    port: endpoint.port,
    async stop() {
      await endpoint.close();
      await Promise.allSettled([clickhouse.close(), mariadb.close()]);
    },
  };
}
