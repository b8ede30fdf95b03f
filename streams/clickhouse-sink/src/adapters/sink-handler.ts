import { AppError, ErrorCode, deadLetterFor, type DeadLetterInput } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { StoredOffsets } from '../domain/stored-offsets.js';
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
 * One partition's batch → rows of its table. Records the table already holds are dropped (a re-read after
 * a crash between INSERT and Kafka commit, a new group, a retry after a half-failed INSERT), poison
 * becomes dead letters, and `commit` resolves only once the rows are in ClickHouse, so the loop commits
 * the Kafka offset after the INSERT, never before.
 */
export function createSinkHandler(deps: SinkHandlerDependencies): PartitionBatchHandler {
  return {
    async prepare({ topic, partition, records }) {
      const route = deps.routes.get(topic);
      if (route === undefined) throw new AppError(ErrorCode.InvalidArgument, `no table is fed by topic ${topic}`);
      const fresh = await deps.offsets.fresh(route.table, topic, partition, records);
      if (fresh.length < records.length) deps.metrics.alreadyStored.inc({ topic }, records.length - fresh.length);
      const rows: SinkRow[] = [];
      const deadLetters: DeadLetterInput[] = [];
      const eventTimesMs: number[] = [];
      let firstRowOffset: bigint | undefined;
      let lastRowOffset: bigint | undefined;
      for (const record of fresh) {
        try {
          const decoded = route.decode(record);
          if (decoded.kind === 'nothing') continue;
          rows.push(decoded.row);
          eventTimesMs.push(decoded.eventTimeMs);
          firstRowOffset ??= record.offset;
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
            // The INSERT may have landed, whole or in part, although it reported failure: the retry
            // re-reads the stored offset and checks these rows one by one.
            deps.offsets.failed(topic, partition, firstRowOffset ?? lastRowOffset, lastRowOffset);
            throw error;
          }
          deps.offsets.advance(topic, partition, lastRowOffset);
        },
      };
    },
  };
}
