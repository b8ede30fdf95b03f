import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunStatus } from '../domain/run-record.js';

/** What `loop` serves on /metrics; a model-staleness alert reads the timestamps. */
export interface RetrainMetrics {
  readonly registry: Registry;
  /** After each run. */
  observeRun(run: { readonly modelName: string; readonly status: RunStatus; readonly finishedAtMs: number; readonly durationSeconds: number; readonly publishedVersion: string | undefined }): void;
}

export function createRetrainMetrics(): RetrainMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ job: 'retrain' });
  collectDefaultMetrics({ register: registry });
  const lastRun = new Gauge({ name: 'retrain_last_run_timestamp_seconds', help: 'When the last run finished (any status)', labelNames: ['model'], registers: [registry] });
  const lastStatus = new Gauge({
    name: 'retrain_last_run_status',
    help: '1 for the status of the last run (published, rejected or failed), 0 for the others',
    labelNames: ['model', 'status'],
    registers: [registry],
  });
  const lastDuration = new Gauge({ name: 'retrain_last_run_duration_seconds', help: 'Duration of the last run', labelNames: ['model'], registers: [registry] });
  const lastSuccess = new Gauge({
    name: 'retrain_last_success_timestamp_seconds',
    help: 'When the last run that did not fail finished (published or rejected: the data and the trainer work)',
    labelNames: ['model'],
    registers: [registry],
  });
  const lastPublished = new Gauge({ name: 'retrain_last_published_timestamp_seconds', help: 'When this job last published a model', labelNames: ['model'], registers: [registry] });
  const publishedInfo = new Gauge({ name: 'retrain_published_model_info', help: '1 for the version this job published last', labelNames: ['model', 'version'], registers: [registry] });
  const runs = new Counter({ name: 'retrain_runs_total', help: 'Finished runs by status', labelNames: ['model', 'status'], registers: [registry] });
  return {
    registry,
    observeRun(run) {
      const model = run.modelName;
      const seconds = run.finishedAtMs / 1000;
      lastRun.set({ model }, seconds);
      lastDuration.set({ model }, run.durationSeconds);
      for (const status of ['published', 'rejected', 'failed'] as const) lastStatus.set({ model, status }, status === run.status ? 1 : 0);
      runs.inc({ model, status: run.status });
      if (run.status !== 'failed') lastSuccess.set({ model }, seconds);
      if (run.status === 'published' && run.publishedVersion !== undefined) {
        lastPublished.set({ model }, seconds);
        publishedInfo.reset();
        publishedInfo.set({ model, version: run.publishedVersion }, 1);
      }
    },
  };
}
