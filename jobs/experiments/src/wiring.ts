import { createClickHouseClient, selectOnlyReader } from '@streamrec/foundation/clickhouse';
import { writeReportFiles } from '@streamrec/foundation/process';
import { loadSplits } from './adapters/experiments-file.js';
import { renderFamilies } from './adapters/metrics-registry.js';
import type { ExperimentsStack } from './config.js';
import type { ReadoutDependencies } from './run-readout.js';

/** The readout's real dependencies; `close` ends the ClickHouse client. */
export function createReadoutDependencies(stack: ExperimentsStack, progress: (line: string) => void): { deps: ReadoutDependencies; close: () => Promise<void> } {
  const clickhouse = createClickHouseClient(stack.clickhouse);
  return {
    deps: {
      reader: selectOnlyReader(clickhouse, 'the experiment readout'),
      loadSplits,
      writeFiles: writeReportFiles,
      renderMetrics: renderFamilies,
      now: () => Date.now(),
      progress,
    },
    close: () => clickhouse.close(),
  };
}
