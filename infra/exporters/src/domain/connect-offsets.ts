import { z } from 'zod';

/**
 * The source offsets Kafka Connect has committed for a connector (GET /connectors/<name>/offsets,
 * Kafka >= 3.6). A Debezium binlog connector (MariaDB, MySQL) commits one partition {server: <prefix>}
 * with {file, pos, ts_sec, server_id, ...}: the binlog position to resume from and the time of the
 * last event it processed (absent until the first event after a restart).
 */
export interface BinlogOffset {
  readonly connector: string;
  readonly file: string;
  readonly position: number;
  /**
   * Event time of the last change the connector processed (seconds). Debezium leaves ts_sec out of the
   * offsets it commits before its first event after a restart (heartbeats only): undefined then.
   */
  readonly eventTimestampSeconds: number | undefined;
  /** The server the position belongs to (MariaDB's server_id). */
  readonly serverId: number | undefined;
}

const offsetsResponse = z.object({
  offsets: z.array(z.object({ partition: z.record(z.string(), z.unknown()), offset: z.record(z.string(), z.unknown()) })),
});

const binlogOffset = z.object({ file: z.string().min(1), pos: z.number().int().nonnegative(), ts_sec: z.number().nonnegative().optional(), server_id: z.number().int().optional() });

/** The binlog offsets in a connector's offsets response; other connectors' offsets are left out. */
export function binlogOffsets(connector: string, response: unknown): BinlogOffset[] {
  const parsed = offsetsResponse.safeParse(response);
  if (!parsed.success) return [];
  const offsets: BinlogOffset[] = [];
  for (const entry of parsed.data.offsets) {
    const offset = binlogOffset.safeParse(entry.offset);
    if (!offset.success) continue;
    offsets.push({ connector, file: offset.data.file, position: offset.data.pos, eventTimestampSeconds: offset.data.ts_sec, serverId: offset.data.server_id });
  }
  return offsets;
}
