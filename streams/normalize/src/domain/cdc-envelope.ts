import { RejectionReason, rejection, type Rejection } from './outcome.js';
import { tableOfTopic, type SourceTable } from '@streamrec/cdc';
import { sourceVersionOf, type SourceVersion } from '@streamrec/cdc';

/** Debezium's row operations; `t` (truncate) and `m` (message) are not row changes and are refused. */
export const ChangeOp = { Create: 'c', Update: 'u', Delete: 'd', Read: 'r' } as const;
export type ChangeOp = (typeof ChangeOp)[keyof typeof ChangeOp];

const rowOps: ReadonlySet<string> = new Set(Object.values(ChangeOp));

/** One validated row change of a captured table. */
export interface ChangeEvent {
  readonly table: SourceTable;
  readonly op: ChangeOp;
  /** The after image; for a delete, the before image (the row as it was). */
  readonly row: Readonly<Record<string, unknown>>;
  readonly version: SourceVersion;
  /** `source.ts_ms`: when the change was committed at the source (not when Debezium read it). */
  readonly committedAt: number;
}

export type ParsedRecord =
  | { readonly kind: 'change'; readonly change: ChangeEvent }
  | { readonly kind: 'tombstone' }
  | { readonly kind: 'rejected'; readonly rejection: Rejection };

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const rejected = (reason: RejectionReason, message: string): ParsedRecord => ({ kind: 'rejected', rejection: rejection(reason, message) });

/**
 * Validates the value of one `cdc.*` record (already JSON-parsed by the caller: text that is not
 * JSON is the adapter's to dead-letter). A null value is the tombstone Debezium writes after a
 * delete, for compaction; it carries nothing and is ignored.
 */
export function parseCdcRecord(topic: string, value: unknown): ParsedRecord {
  const table = tableOfTopic(topic);
  if (table === undefined) return rejected(RejectionReason.UnknownTable, `topic ${topic} is not a captured table this processor reads`);
  if (value === null) return { kind: 'tombstone' };
  if (!isObject(value)) return rejected(RejectionReason.NotAnEnvelope, `the value of a ${topic} record is not a JSON object`);
  const { op } = value;
  if (op === undefined || op === null) return rejected(RejectionReason.MissingOp, 'the envelope has no op');
  if (typeof op !== 'string' || !rowOps.has(op)) return rejected(RejectionReason.UnsupportedOp, `op ${JSON.stringify(op)} is not a row change (c, u, d, r)`);
  const imageField = op === ChangeOp.Delete ? 'before' : 'after';
  const row = value[imageField];
  if (!isObject(row)) return rejected(RejectionReason.MissingRowImage, `op ${op} needs a ${imageField} image`);
  const source = value['source'];
  const file = isObject(source) ? source['file'] : undefined;
  const pos = isObject(source) ? source['pos'] : undefined;
  const committedAt = isObject(source) ? source['ts_ms'] : undefined;
  const version = typeof file === 'string' && typeof pos === 'number' ? sourceVersionOf({ file, pos }) : undefined;
  if (version === undefined || typeof committedAt !== 'number' || !Number.isSafeInteger(committedAt)) {
    return rejected(RejectionReason.MissingSourcePosition, 'source.file, source.pos and source.ts_ms must give a binlog position and a commit time');
  }
  return { kind: 'change', change: { table, op: op as ChangeOp, row, version, committedAt } };
}
