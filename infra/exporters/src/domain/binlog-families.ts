import { connectorBinlogStatus, binlogFileIndex, type BinaryLog, type BinlogPosition } from './binlog-position.js';
import type { BinlogOffset } from './connect-offsets.js';
import { single, type Family, type Sample } from './exposition.js';

/** What MariaDB says about its binary log (SHOW BINARY LOGS, SHOW MASTER STATUS, variables, status). */
export interface MariaDbBinlogState {
  readonly serverId: number;
  readonly logs: readonly BinaryLog[];
  readonly current: BinlogPosition;
  /** 0: binary logs are never purged by age. */
  readonly expireLogsSeconds: number;
  /** Binlog_commits and Binlog_bytes_written: transactions and bytes written since the server started. */
  readonly commits: number;
  readonly bytesWritten: number;
}

export interface CommittedOffset extends BinlogOffset {
  /** When the offset was read from Kafka Connect (the exporter keeps the last one read while Connect is down). */
  readonly readAtMs: number;
}

export interface BinlogSnapshot {
  /** Undefined when MariaDB did not answer. */
  readonly mariadb: MariaDbBinlogState | undefined;
  readonly offsets: readonly CommittedOffset[];
  /** The offsets were read from Connect in this scrape (false: the last ones read are served). */
  readonly offsetsFresh: boolean;
}

const gauge = (name: string, help: string, samples: readonly Sample[]): Family => ({ name, help, type: 'gauge', samples });

/** The `binlog` job's metrics: the server's binary log, and each binlog connector's committed position in it. */
export function binlogFamilies(snapshot: BinlogSnapshot): Family[] {
  const families: Family[] = [single('mariadb_binlog_up', 'MariaDB answered the binlog queries (1) or not (0)', snapshot.mariadb === undefined ? 0 : 1)];
  const server = snapshot.mariadb;
  if (server !== undefined) {
    const indexes = server.logs.map((log) => binlogFileIndex(log.name)).filter((index): index is number => index !== undefined);
    families.push(
      single('mariadb_binlog_files', 'Binary log files the server keeps', server.logs.length),
      single('mariadb_binlog_size_bytes', 'Bytes of all binary log files the server keeps', server.logs.reduce((sum, log) => sum + log.sizeBytes, 0)),
      single('mariadb_binlog_current_position_bytes', 'Write position in the current binary log file', server.current.position),
      single('mariadb_binlog_expire_logs_seconds', 'binlog_expire_logs_seconds: files older than this are purged (0: never)', server.expireLogsSeconds),
      single('mariadb_binlog_commits_total', 'Transactions written to the binary log since the server started (Binlog_commits)', server.commits, 'counter'),
      single('mariadb_binlog_bytes_written_total', 'Bytes written to the binary log since the server started (Binlog_bytes_written)', server.bytesWritten, 'counter'),
    );
    const currentIndex = binlogFileIndex(server.current.file);
    if (currentIndex !== undefined) families.push(single('mariadb_binlog_current_file_index', 'Number of the current binary log file (binlog.000042 → 42)', currentIndex));
    if (indexes.length > 0) families.push(single('mariadb_binlog_oldest_file_index', 'Number of the oldest binary log file the server keeps', Math.min(...indexes)));
  }
  families.push(single('cdc_connect_offsets_up', 'The connectors\' committed offsets were read from Kafka Connect in this scrape (1) or are the last ones read (0)', snapshot.offsetsFresh ? 1 : 0));
  const offsets = snapshot.offsets.filter((offset) => server === undefined || offset.serverId === undefined || offset.serverId === server.serverId);
  const per = (pick: (offset: CommittedOffset) => number | undefined): Sample[] =>
    offsets.flatMap((offset) => {
      const value = pick(offset);
      return value === undefined ? [] : [{ labels: { connector: offset.connector }, value }];
    });
  families.push(
    gauge('cdc_connector_binlog_file_index', 'Number of the binary log file holding the connector\'s committed position', per((offset) => binlogFileIndex(offset.file))),
    gauge('cdc_connector_binlog_position_bytes', 'The connector\'s committed position in that file', per((offset) => offset.position)),
    gauge('cdc_connector_binlog_event_timestamp_seconds', 'Event time of the last change the connector committed (Unix time)', per((offset) => offset.eventTimestampSeconds)),
    gauge('cdc_connector_offset_read_timestamp_seconds', 'When the exporter last read the connector\'s offset from Kafka Connect (Unix time)', per((offset) => offset.readAtMs / 1000)),
  );
  if (server !== undefined) {
    const status = new Map(offsets.map((offset) => [offset.connector, connectorBinlogStatus(server.logs, server.current, { file: offset.file, position: offset.position })]));
    families.push(
      gauge('cdc_connector_binlog_file_retained', 'The connector\'s committed binlog file still exists on the server (0: purged, the connector cannot resume)', per((offset) => (status.get(offset.connector)?.retained === true ? 1 : 0))),
      gauge('cdc_connector_binlog_files_behind', 'Binary log files between the connector\'s committed one and the current one', per((offset) => status.get(offset.connector)?.filesBehind)),
      gauge('cdc_connector_binlog_bytes_behind', 'Binlog bytes written after the connector\'s committed position', per((offset) => status.get(offset.connector)?.bytesBehind)),
    );
  }
  return families;
}
