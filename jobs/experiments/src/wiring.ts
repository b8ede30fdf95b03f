import { clickHouseReader, createClickHouse } from './adapters/clickhouse.js';
import { loadSplits } from './adapters/experiments-file.js';
import { renderFamilies } from './adapters/metrics-registry.js';
import { writeReportFiles } from './adapters/report-files.js';
import type { ExperimentsStack } from './config.js';
import type { ReadoutDependencies } from './run-readout.js';

/** The readout's real dependencies; `close` ends the ClickHouse client. */
export function createReadoutDependencies(stack: ExperimentsStack, progress: (line: string) => void): { deps: ReadoutDependencies; close: () => Promise<void> } {
  const clickhouse = createClickHouse(stack);
  return {
    deps: {
      reader: clickHouseReader(clickhouse),
      loadSplits,
      writeFiles: writeReportFiles,
      renderMetrics: renderFamilies,
      now: () => Date.now(),
      progress,
    },
    close: () => clickhouse.close(),
  };
}
