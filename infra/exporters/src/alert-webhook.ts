import type { Logger } from '@streamrec/foundation/process';
import { fileAlertLog, type AlertLog } from './adapters/alert-log.js';
import { serveHttp, type HttpEndpoint, type Reply } from './adapters/http-server.js';
import type { AlertWebhookConfig } from './config.js';
import { alertLines, parseNotification, toNdjson } from './domain/alertmanager-webhook.js';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.js';

export interface RunningAlertWebhook {
  readonly port: number;
  stop(): Promise<void>;
}

/** Handles one POST /alerts: 200 once every alert is written, 400 for a payload that is not Alertmanager's, 500 when the write failed (Alertmanager retries). */
export async function receiveNotification(body: string, deps: { readonly log: AlertLog; readonly metrics: WebhookMetrics; readonly logger: Logger; readonly now?: () => Date }): Promise<Reply> {
  const parsed = parseNotification(body);
  if (!parsed.ok) {
    deps.metrics.rejected(parsed.reason);
    deps.logger.warn({ reason: parsed.reason, problem: parsed.message }, 'refused a webhook request');
    return { status: 400, body: `${parsed.reason}: ${parsed.message}\n` };
  }
  const receivedAt = (deps.now ?? (() => new Date()))();
  const lines = alertLines(parsed.notification, receivedAt);
  try {
    await deps.log.append(toNdjson(lines));
  } catch (error) {
    deps.metrics.rejected('write_failed');
    deps.logger.error({ err: error }, 'could not write the alerts');
    return { status: 500, body: 'write failed\n' };
  }
  deps.metrics.received(parsed.notification.receiver, parsed.notification.status, lines, receivedAt.getTime());
  deps.logger.info({ receiver: parsed.notification.receiver, status: parsed.notification.status, alerts: lines.map((line) => `${line.alertname}:${line.status}`) }, 'notification written');
  return { status: 200, body: 'ok\n' };
}

/** POST /alerts (Alertmanager's webhook_config url), GET /metrics, GET /healthz. */
export async function startAlertWebhook(config: AlertWebhookConfig, logger: Logger): Promise<RunningAlertWebhook> {
  const metrics = createWebhookMetrics();
  const log = fileAlertLog(config.logFile);
  const endpoint: HttpEndpoint = await serveHttp({
    host: config.listen.host,
    port: config.listen.port,
    maxBodyBytes: config.maxBodyBytes,
    onError: (error, route) => logger.error({ err: error, path: route.path }, 'request failed'),
    onTooLarge: () => metrics.rejected('too_large'),
    routes: [
      { method: 'POST', path: '/alerts', handle: (body) => receiveNotification(body, { log, metrics, logger }) },
      { method: 'GET', path: '/metrics', handle: async () => ({ status: 200, contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }) },
      { method: 'GET', path: '/healthz', handle: () => ({ status: 200, contentType: 'application/json', body: '{"status":"ok"}' }) },
    ],
  });
  logger.info({ port: endpoint.port, file: config.logFile }, 'alert webhook listening');
  return { port: endpoint.port, stop: () => endpoint.close() };
}
