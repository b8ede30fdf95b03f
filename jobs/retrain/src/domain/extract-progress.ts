import { formatCount, formatDuration } from '@streamrec/foundation';

/** ClickHouse's own view of a running query (system.processes). */
export interface QueryProgress {
  readonly readRows: number;
  /** 0 when ClickHouse does not know yet. */
  readonly totalRowsApprox: number;
  readonly elapsedSeconds: number;
}

/** `extract: ClickHouse read 1,234,567 of ~3,000,000 rows (41.2%), 250,000 rows/s, ETA 7 s, 5 s elapsed`. */
export function queryProgressLine(progress: QueryProgress): string {
  const rate = progress.elapsedSeconds > 0 ? progress.readRows / progress.elapsedSeconds : undefined;
  const known = progress.totalRowsApprox > 0 && progress.totalRowsApprox >= progress.readRows;
  const parts = [
    `extract: ClickHouse read ${formatCount(BigInt(progress.readRows))}${known ? ` of ~${formatCount(BigInt(progress.totalRowsApprox))} rows (${((progress.readRows * 100) / progress.totalRowsApprox).toFixed(1)}%)` : ' rows'}`,
    rate === undefined ? 'rate —' : `${formatCount(BigInt(Math.round(rate)))} rows/s`,
    known && rate !== undefined && rate > 0 ? `ETA ${formatDuration((progress.totalRowsApprox - progress.readRows) / rate)}` : 'ETA —',
    `${formatDuration(progress.elapsedSeconds)} elapsed`,
  ];
  return parts.join(', ');
}

/** `extract: received 120,000 rows of 3,400 requests, 48,000 rows/s`. */
export function receivedProgressLine(rows: number, requests: number, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 ? `${formatCount(BigInt(Math.round(rows / elapsedSeconds)))} rows/s` : 'rate —';
  return `extract: received ${formatCount(BigInt(rows))} rows of ${formatCount(BigInt(requests))} requests, ${rate}`;
}
