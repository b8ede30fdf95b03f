import { AppError, ErrorCode, deadLetterFor, type DeadLetterInput } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import { recordsAfter, type StoredOffsets } from '../domain/stored-offsets.js';
import type { SinkMetrics } from './sink-metrics.js';
import type { SinkRow, TableRoute } from './table-routes.js';
import type { TableWriter } from './table-writer.js';

export interface SinkHandlerDependencies {
  readonly routes: ReadonlyMap<string, TableRoute>;
  readonly offsets: StoredOffsets;
  readonly writer: TableWriter;
  readonly metrics: Pick<SinkMetrics, 'alreadyStored'>;
}

/**
 * One partition's batch → rows of its table. Records at or below the table's stored offset are dropped
 * (the table has them: a re-read after a crash between INSERT and Kafka commit, or a new group), poison
 * becomes dead letters, and `commit` resolves only once the rows are in ClickHouse, so the loop commits
 * the Kafka offset after the INSERT, never before.
 */
export function createSinkHandler(deps: SinkHandlerDependencies): PartitionBatchHandler {
  return {
    async prepare({ topic, partition, records }) {
      const route = deps.routes.get(topic);
      if (route === undefined) throw new AppError(ErrorCode.InvalidArgument, `no table is fed by topic ${topic}`);
      const stored = await deps.offsets.get(route.table, topic, partition);
      const fresh = recordsAfter(records, stored);
      if (fresh.length < records.length) deps.metrics.alreadyStored.inc({ topic }, records.length - fresh.length);
      const rows: SinkRow[] = [];
      const deadLetters: DeadLetterInput[] = [];
      const eventTimesMs: number[] = [];
      let lastRowOffset: bigint | undefined;
      for (const record of fresh) {
        try {
          const decoded = route.decode(record);
          if (decoded.kind === 'nothing') continue;
          rows.push(decoded.row);
          eventTimesMs.push(decoded.eventTimeMs);
          lastRowOffset = record.offset;
        } catch (error) {
          deadLetters.push(deadLetterFor(record, error));
        }
      }
      return {
        deadLetters,
        eventTimesMs,
        async commit() {
          if (lastRowOffset === undefined) return;
          try {
            await deps.writer.write(route.table, rows);
          } catch (error) {
            // The INSERT may have landed even though it reported failure: re-read before the retry.
            deps.offsets.forget(topic, partition);
            throw error;
          }
          deps.offsets.advance(topic, partition, lastRowOffset);
        },
      };
    },
  };
}
