/**
 * The ordering key of changes to one row: binlog file sequence × 2^32 + binlog position, exactly
 * the `source_version` of events.items.v1 / events.users.v1 (see their .avsc). The binlog is the
 * commit order of the whole server, so a later change always compares greater, snapshot rows
 * included (they carry the position the snapshot was taken at). `updated_at` is not used: two
 * changes can share a millisecond, a writer may set it explicitly, and a delete does not move it.
 */
export type SourceVersion = number & { readonly __brand: 'SourceVersion' };

const POSITION_RANGE = 2 ** 32;
/** Keeps the version below 2^53, i.e. exact as a JavaScript number. */
const MAX_FILE_SEQUENCE = 2 ** 21 - 1;
const BINLOG_FILE = /\.(\d+)$/;

export interface BinlogPosition {
  /** `source.file`, e.g. `binlog.000042`. */
  readonly file: string;
  /** `source.pos`: byte offset of the event in that file. */
  readonly pos: number;
}

/** Undefined when the position is not a binlog file name and offset Debezium would write. */
export function sourceVersionOf(position: BinlogPosition): SourceVersion | undefined {
  const match = BINLOG_FILE.exec(position.file);
  if (!match?.[1]) return undefined;
  const sequence = Number(match[1]);
  if (sequence > MAX_FILE_SEQUENCE) return undefined;
  if (!Number.isSafeInteger(position.pos) || position.pos < 0 || position.pos >= POSITION_RANGE) return undefined;
  return (sequence * POSITION_RANGE + position.pos) as SourceVersion;
}

/**
 * Whether a change at `candidate` replaces the one at `held`: strictly later only, so a
 * re-delivered change (same version) and an out-of-order older one are both dropped. Consumers of
 * events.items.v1 / events.users.v1 apply the same rule to `source_version`.
 */
export function supersedes(candidate: SourceVersion, held: SourceVersion | undefined): boolean {
  return held === undefined || candidate > held;
}
