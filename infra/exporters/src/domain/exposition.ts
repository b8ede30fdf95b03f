/** Prometheus' text exposition format (version 0.0.4), for metrics computed at scrape time. */

export type MetricType = 'gauge' | 'counter';

export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A valid metric name from a source's own name (ClickHouse's `jemalloc.allocated` → `jemalloc_allocated`). */
export function metricName(raw: string): string {
  const name = raw.replace(/[^A-Za-z0-9_:]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Families with no sample are left out (a HELP line alone would name a metric nobody exports now). */
export function renderExposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = Object.entries(sample.labels ?? {}).map(([key, value]) => `${key}="${labelValue(value)}"`);
      lines.push(`${family.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${sampleValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** One family with a single unlabelled sample. */
export function single(name: string, help: string, value: number, type: MetricType = 'gauge'): Family {
  return { name, help, type, samples: [{ value }] };
}
