/**
 * Where MariaDB's binary log is and where a Debezium connector has got to in it. A binlog file is
 * `<basename>.<index>` (binlog.000042); MariaDB purges whole files older than binlog_expire_logs_seconds,
 * oldest first, never the current one. A connector whose committed file is purged cannot resume: it
 * needs a new snapshot.
 */
export interface BinaryLog {
  readonly name: string;
  readonly sizeBytes: number;
}

export interface BinlogPosition {
  readonly file: string;
  readonly position: number;
}

/** The number of a binlog file name (binlog.000042 → 42), undefined for a name without one. */
export function binlogFileIndex(name: string): number | undefined {
  const match = /\.(\d+)$/.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export interface ConnectorBinlogStatus {
  readonly fileIndex: number | undefined;
  /** The committed file is still among the server's binary logs. */
  readonly retained: boolean;
  /** Files between the committed one and the current one (0: same file). */
  readonly filesBehind: number | undefined;
  /** Binlog bytes written after the committed position; undefined when that file is gone. */
  readonly bytesBehind: number | undefined;
}

/**
 * How far a committed position is behind the server's current one. Only files the server still lists
 * count; a position past the end of the log (another server's, or a log that was reset) is 0 behind.
 */
export function connectorBinlogStatus(logs: readonly BinaryLog[], current: BinlogPosition, committed: BinlogPosition): ConnectorBinlogStatus {
  const fileIndex = binlogFileIndex(committed.file);
  const currentIndex = binlogFileIndex(current.file);
  const at = logs.findIndex((log) => log.name === committed.file);
  const filesBehind = fileIndex === undefined || currentIndex === undefined ? undefined : Math.max(0, currentIndex - fileIndex);
  if (at < 0) return { fileIndex, retained: false, filesBehind, bytesBehind: undefined };
  if (committed.file === current.file) return { fileIndex, retained: true, filesBehind: 0, bytesBehind: Math.max(0, current.position - committed.position) };
  const currentAt = logs.findIndex((log) => log.name === current.file);
  if (currentAt < at) return { fileIndex, retained: true, filesBehind, bytesBehind: 0 };
  let bytes = Math.max(0, (logs[at]?.sizeBytes ?? 0) - committed.position);
  for (let index = at + 1; index < (currentAt < 0 ? logs.length : currentAt); index += 1) bytes += logs[index]?.sizeBytes ?? 0;
  bytes += currentAt < 0 ? 0 : current.position;
  return { fileIndex, retained: true, filesBehind, bytesBehind: bytes };
}
