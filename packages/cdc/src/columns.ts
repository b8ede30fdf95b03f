import { decimalFromString, decimalToString } from '@streamrec/schemas';
import { ErrorCode } from '@streamrec/foundation';

/** Why a row image cannot be decoded: the record is not a usable change event (REC_CDC_ENVELOPE_INVALID). */
export const ColumnProblem = { MissingColumn: 'missing_column', WrongType: 'wrong_type' } as const;
export type ColumnProblem = (typeof ColumnProblem)[keyof typeof ColumnProblem];

/** A verdict on a row image, shaped like the processors' rejections (code, fine-grained reason, message). */
export interface ColumnRejection {
  readonly code: typeof ErrorCode.CdcEnvelopeInvalid;
  readonly reason: ColumnProblem;
  readonly message: string;
}

const columnRejection = (reason: ColumnProblem, message: string): ColumnRejection => ({ code: ErrorCode.CdcEnvelopeInvalid, reason, message });

/**
 * Decoders for column values as Debezium's JSON converter writes them (schemas.enable=false,
 * decimal.handling.mode=string, binary.handling.mode=hex, time.precision.mode=connect):
 * DECIMAL as a string, BINARY as hex, DATETIME as epoch ms. A decoder returns the value, or
 * `invalid` when the JSON value cannot be that column's type.
 */
export const invalid: unique symbol = Symbol('invalid');
export type Decoder<T> = (value: unknown) => T | typeof invalid;

const UINT32_RANGE = 2 ** 32;

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** BIGINT UNSIGNED ids (exact up to 2^53) and other non-negative integers. */
export const naturalNumber: Decoder<number> = (value) => (isInteger(value) && value >= 0 ? value : invalid);

/** Signed integers (e.g. TINYINT, INT). */
export const integer: Decoder<number> = (value) => (isInteger(value) ? value : invalid);

/**
 * INT UNSIGNED. Debezium 3.5's MariaDB connector writes values of 2^31 and above as negative
 * 32-bit numbers; taken modulo 2^32 they are the column's value again.
 */
export const uint32: Decoder<number> = (value) => {
  if (!isInteger(value) || value < -(2 ** 31) || value >= UINT32_RANGE) return invalid;
  return value < 0 ? value + UINT32_RANGE : value;
};

export const text: Decoder<string> = (value) => (typeof value === 'string' ? value : invalid);

/** DATETIME / DATETIME(3) → UTC epoch milliseconds. */
export const epochMs: Decoder<number> = integer;

/** DOUBLE / FLOAT. */
export const double: Decoder<number> = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : invalid);

const HEX_8_BYTES = /^[0-9a-fA-F]{16}$/;

/** BINARY(8) (Matomo's idvisitor) → 16 lower-case hex digits. */
export const hex8: Decoder<string> = (value) => (typeof value === 'string' && HEX_8_BYTES.test(value) ? value.toLowerCase() : invalid);

/**
 * DECIMAL(12,2) money as Debezium's string → its canonical text ("19.9" → "19.90"), checked to fit
 * the events' decimal(12,2) so encoding the Avro value later cannot fail.
 */
export const money: Decoder<string> = (value) => (typeof value === 'string' ? canonicalMoney(value) ?? invalid : invalid);

/** Canonical decimal(12,2) text, or undefined when the text is not a decimal that fits. */
export function canonicalMoney(value: string): string | undefined {
  if (!/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  try {
    return decimalToString(decimalFromString(value));
  } catch {
    return undefined;
  }
}

export function nullable<T>(decoder: Decoder<T>): Decoder<T | null> {
  return (value) => (value === null ? null : decoder(value));
}

export type ColumnSpec = Readonly<Record<string, Decoder<unknown>>>;
export type RowOf<S extends ColumnSpec> = { readonly [K in keyof S]: Exclude<ReturnType<S[K]>, typeof invalid> };
export type Decoded<T> = { readonly row: T; readonly rejection?: undefined } | { readonly row?: undefined; readonly rejection: ColumnRejection };

/**
 * Decodes the columns a mapping reads (other columns are ignored). A column absent from the row
 * image is `missing_column`, one present with an unusable value is `wrong_type`.
 */
export function decodeRow<S extends ColumnSpec>(image: Readonly<Record<string, unknown>>, spec: S): Decoded<RowOf<S>> {
  const row: Record<string, unknown> = {};
  for (const [column, decoder] of Object.entries(spec)) {
    if (image[column] === undefined) {
      return { rejection: columnRejection(ColumnProblem.MissingColumn, `column ${column} is missing from the row image`) };
    }
    const value = decoder(image[column]);
    if (value === invalid) {
      return { rejection: columnRejection(ColumnProblem.WrongType, `column ${column} has an unusable value ${describe(image[column])}`) };
    }
    row[column] = value;
  }
  return { row: row as RowOf<S> };
}

function describe(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
