import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@streamrec/foundation/process';
import type { CatalogueStore, ItemId } from '@streamrec/streams-common';
import { createCatalogueBarrier, type CatalogueReader } from '@streamrec/streams-common/adapters';

/**
 * How long a batch naming an uncatalogued item waits for the catalogue reader to reach the end of
 * events.items.v1 (one offsets request, then usually a few ms); on timeout the batch is joined as it is.
 */
const CATALOGUE_WAIT_MS = 2_000;

/** The user stage's catalogue barrier (catalogue-barrier.ts), counted on the process's /metrics. */
export function catalogueBarrierWithMetrics(store: CatalogueStore, reader: CatalogueReader, registry: Registry, log: Logger): (items: readonly ItemId[], asOfMs: number) => Promise<void> {
  const waits = new Counter({
    name: 'features_catalogue_waits_total',
    help: 'Batches that named an item the catalogue did not know and waited for it to read events.items.v1 to the end (caught_up), gave up after the timeout, or could not ask for the end (failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const items = new Counter({
    name: 'features_catalogue_wait_items_total',
    help: 'Unknown items a batch waited for (summed per batch): found by the wait, or still unknown (their events count without industry, tags and price)',
    labelNames: ['found'],
    registers: [registry],
  });
  return createCatalogueBarrier({
    lookup: store.lookup,
    readToEnd: (timeoutMs) => reader.readToEnd(timeoutMs),
    timeoutMs: CATALOGUE_WAIT_MS,
    onWait: (outcome, unknown, error) => {
      waits.inc({ outcome });
      items.inc({ found: 'yes' }, unknown.before - unknown.after);
      items.inc({ found: 'no' }, unknown.after);
      if (outcome === 'caught_up') log.debug({ outcome, unknown }, 'waited for the catalogue');
      else log.warn({ outcome, unknown, err: error }, 'joined a batch without waiting for the catalogue to catch up');
    },
  });
}
