import { Counter, type Registry } from 'prom-client';
import type { NormalizeResult } from '../domain/index.js';

/** The normaliser's own counters, beside the shared processor metrics on the same registry. */
export interface NormalizeMetrics {
  count(result: NormalizeResult): void;
}

export function createNormalizeMetrics(registry: Registry): NormalizeMetrics {
  const skipped = new Counter({ name: 'normalize_skipped_total', help: 'Records that benignly produced nothing', labelNames: ['reason'], registers: [registry] });
  const parked = new Counter({ name: 'normalize_parked_total', help: 'Rows parked waiting for what they reference', registers: [registry] });
  const stitches = new Counter({ name: 'normalize_stitches_total', help: 'Anonymous visitors linked to users', registers: [registry] });
  const emitted = new Counter({ name: 'normalize_emitted_total', help: 'Events produced', labelNames: ['kind'], registers: [registry] });
  return {
    count(result) {
      for (const reason of result.skipped) skipped.inc({ reason });
      if (result.parked.length > 0) parked.inc(result.parked.length);
      if (result.stitches.length > 0) stitches.inc(result.stitches.length);
      if (result.interactions.length > 0) emitted.inc({ kind: 'interaction' }, result.interactions.length);
      if (result.items.length > 0) emitted.inc({ kind: 'item' }, result.items.length);
      if (result.users.length > 0) emitted.inc({ kind: 'user' }, result.users.length);
    },
  };
}
