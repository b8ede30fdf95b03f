/** The running processes, for tests and tools (their commands are infra/exporters/src/*-main.ts). */
export { startAlertWebhook, receiveNotification, type RunningAlertWebhook } from './alert-webhook.js';
export { startStackExporter, type RunningStackExporter } from './stack-exporter.js';
export { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.js';
export { loadAlertWebhookConfig, loadStackExporterConfig, type AlertWebhookConfig, type StackExporterConfig } from './config.js';
