/** Where `topics tail` starts and stops reading one partition. */
export interface PartitionWindow {
  readonly partition: number;
  /** First offset to print. */
  readonly from: bigint;
  /** High watermark when the tail started: offsets below it are printed, later ones are not waited for. */
  readonly until: bigint;
}

/** The last `count` records of each partition that has any, from the partitions' low/high watermarks. */
export function tailWindows(offsets: readonly { partition: number; low: string; high: string }[], count: number): PartitionWindow[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  return offsets
    .map(({ partition, low, high }) => {
      const until = BigInt(high);
      const lowest = BigInt(low);
      const from = until - BigInt(count) > lowest ? until - BigInt(count) : lowest;
      return { partition, from, until };
    })
    .filter((window) => window.from < window.until)
    .sort((a, b) => a.partition - b.partition);
}

export type ValueDecoder = (value: Buffer) => unknown;

/**
 * One printed line: JSON with partition, offset, time, key and the value as JSON (dead letters, CDC
 * envelopes), decoded Avro (owned topics), or base64 when neither reads it.
 */
export function renderRecord(
  record: { partition: number; offset: string; timestampMs: number; key: Buffer | null; value: Buffer | null },
  decode: ValueDecoder | undefined,
): string {
  return JSON.stringify(
    {
      partition: record.partition,
      offset: record.offset,
      time: Number.isFinite(record.timestampMs) ? new Date(record.timestampMs).toISOString() : null,
      key: record.key?.toString('utf8') ?? null,
      value: renderValue(record.value, decode),
    },
    jsonSafe,
  );
}

/** bigint as decimal text; Avro bytes (decimals) as `0x…` hex instead of Node's `{type: 'Buffer', data}`. */
function jsonSafe(_name: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return `0x${Buffer.from((value as { data: number[] }).data).toString('hex')}`;
  }
  return value;
}

function renderValue(value: Buffer | null, decode: ValueDecoder | undefined): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    // not JSON: try the topic's Avro codec
  }
  if (decode !== undefined) {
    try {
      return decode(value);
    } catch (error) {
      return { undecodable: (error as Error).message, base64: value.toString('base64') };
    }
  }
  return { base64: value.toString('base64') };
}
