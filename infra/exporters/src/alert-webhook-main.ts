import { runProcess } from '@streamrec/foundation/process';
import { startAlertWebhook } from './alert-webhook.js';
import { alertWebhookEnvironment, loadAlertWebhookConfig } from './config.js';

runProcess({
  name: 'alert-webhook',
  usage: `Usage: tsx infra/exporters/src/alert-webhook-main.ts [--help]

Receives Alertmanager's webhook notifications on POST /alerts and appends every alert of each one as a
JSON line to the alerts file (receiver, status, alert name, severity, labels, annotations, times);
/metrics (alert_webhook_*) and /healthz. Started by \`npm run stack:up\` as the alert-webhook component.`,
  environmentVariables: alertWebhookEnvironment,
  loadConfig: () => loadAlertWebhookConfig(),
  start: startAlertWebhook,
});
