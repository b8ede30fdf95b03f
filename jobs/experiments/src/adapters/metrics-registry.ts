import { Gauge, Registry } from 'prom-client';
import type { MetricFamily } from '../domain/prometheus-families.js';

/**
 * The readout's gauges in a prom-client registry: metrics.prom is this registry's text, and the loop
 * serves the same registry on /metrics (startMetricsServer), so both always agree. Each update replaces
 * a family's samples (an experiment that left the window disappears); families not in the update keep
 * theirs (a failed run leaves the previous readout's figures in place).
 */
export class ReadoutMetrics {
  readonly registry = new Registry();
  readonly #gauges = new Map<string, Gauge>();

  update(families: readonly MetricFamily[]): void {
    for (const family of families) {
      let gauge = this.#gauges.get(family.name);
      if (gauge === undefined) {
        gauge = new Gauge({ name: family.name, help: family.help, labelNames: [...family.labelNames], registers: [this.registry] });
        this.#gauges.set(family.name, gauge);
      }
      gauge.reset();
      // A figure that cannot be computed (no users, no events) is left out rather than exported as NaN.
      for (const sample of family.samples.filter((entry) => Number.isFinite(entry.value))) {
        if (family.labelNames.length === 0) gauge.set(sample.value);
        else gauge.set({ ...sample.labels }, sample.value);
      }
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The text exposition of some families on their own (metrics.prom of a one-shot report). */
export async function renderFamilies(families: readonly MetricFamily[]): Promise<string> {
  const metrics = new ReadoutMetrics();
  metrics.update(families);
  return metrics.text();
}
