import { AppError, ErrorCode, deadLetterFor, type DeadLetterInput } from '@streamrec/foundation';
import { type PartitionBatchHandler } from '@streamrec/foundation/kafka';
import type { StoredOffsets } from '../domain/stored-offsets.js';
import type { SinkMetrics } from './sink-metrics.js';
import type { SinkRow, TableRoute } from './table-routes.js';
import { RowsRefusedError, type TableWriter } from './table-writer.js';

export interface SinkHandlerDependencies {
  readonly routes: ReadonlyMap<string, TableRoute>;
  readonly offsets: StoredOffsets;
  readonly writer: TableWriter;
  readonly metrics: Pick<SinkMetrics, 'alreadyStored' | 'rowsRefused'>;
}

/** ClickHouse's refusal of a record's row, kept until the retry of its batch has dead-lettered it. */
interface Refusal {
  readonly code: string;
  readonly reason: string;
}

/**
 * One partition's batch → rows of its table. Records the table already holds are dropped (a re-read after
 * a crash between INSERT and Kafka commit, a new group, a retry after a half-failed INSERT), poison
 * becomes dead letters, and `commit` resolves only once the rows are in ClickHouse, so the loop commits
 * the Kafka offset after the INSERT, never before.
 *
 * Rows ClickHouse refuses (a data error, isolated by the writer's bisection while the other rows are
 * inserted) fail the commit retriably; the loop's retry prepares the batch again, and then the refused
 * records are dead letters (sent and acknowledged before `commit`, like decode poison) and the rows that
 * landed are skipped by the present-offset check.
 */
export function createSinkHandler(deps: SinkHandlerDependencies): PartitionBatchHandler {
  const refusals = new Map<string, Map<bigint, Refusal>>();
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
      const refused = refusals.get(partitionKey(topic, partition));
      for (const record of fresh) {
        const refusal = refused?.get(record.offset);
        if (refusal !== undefined) {
          deadLetters.push({ topic, partition, offset: record.offset, key: record.key, value: record.value, code: refusal.code, reason: refusal.reason });
          continue;
        }
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
          if (lastRowOffset !== undefined) {
            try {
              await deps.writer.write(route.table, rows);
            } catch (error) {
              // The INSERT may have landed, whole or in part, although it reported failure: the retry
              // re-reads the stored offset and checks these rows one by one.
              deps.offsets.failed(topic, partition, firstRowOffset ?? lastRowOffset, lastRowOffset);
              if (error instanceof RowsRefusedError) {
                remember(refusals, topic, partition, error);
                deps.metrics.rowsRefused.inc({ table: route.table }, error.refused.length);
              }
              throw error;
            }
            deps.offsets.advance(topic, partition, lastRowOffset);
          }
          const lastOffset = records.at(-1)?.offset;
          if (refused !== undefined && lastOffset !== undefined) {
            for (const offset of refused.keys()) if (offset <= lastOffset) refused.delete(offset);
            if (refused.size === 0) refusals.delete(partitionKey(topic, partition));
          }
        },
      };
    },
  };
}

function remember(refusals: Map<string, Map<bigint, Refusal>>, topic: string, partition: number, error: RowsRefusedError): void {
  const key = partitionKey(topic, partition);
  const known = refusals.get(key) ?? new Map<bigint, Refusal>();
  for (const { row, refusal } of error.refused) known.set(BigInt(row.kafka_offset), { code: refusal.code, reason: refusal.message });
  refusals.set(key, known);
}

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
