import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * Avro `decimal` on `bytes`: the unscaled value as a two's-complement big-endian integer in the
 * fewest bytes. Money travels this way (exact, like the shop's DECIMAL column); Debezium hands it
 * over as a string (decimal.handling.mode=string), features want a number.
 */
export interface DecimalSpec {
  readonly precision: number;
  readonly scale: number;
}

/** Prices and amounts in events.*: decimal(12,2), like the shop's DECIMAL columns. */
export const MONEY_DECIMAL: DecimalSpec = Object.freeze({ precision: 12, scale: 2 });

const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** "19.90" → bytes of 1990 (scale 2). Rejects text with more significant digits than the spec allows. */
export function decimalFromString(text: string, spec: DecimalSpec = MONEY_DECIMAL): Buffer {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match) throw invalid(`${JSON.stringify(text)} is not a decimal number`);
  const [, sign, integerDigits = '', fractionDigits = ''] = match;
  if (fractionDigits.length > spec.scale && /[^0]/.test(fractionDigits.slice(spec.scale))) {
    throw invalid(`${text} has more than ${spec.scale} fraction digits`);
  }
  const digits = `${integerDigits}${fractionDigits.slice(0, spec.scale).padEnd(spec.scale, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > spec.precision) throw invalid(`${text} does not fit decimal(${spec.precision},${spec.scale})`);
  const unscaled = BigInt(digits);
  return encodeTwosComplement(sign === '-' ? -unscaled : unscaled);
}

/** Bytes → "19.90" (always `scale` fraction digits; no exponent, no rounding). */
export function decimalToString(bytes: Uint8Array, spec: Pick<DecimalSpec, 'scale'> = MONEY_DECIMAL): string {
  const unscaled = decodeTwosComplement(bytes);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(spec.scale + 1, '0');
  const integerPart = digits.slice(0, digits.length - spec.scale);
  const fractionPart = digits.slice(digits.length - spec.scale);
  return `${negative ? '-' : ''}${integerPart}${spec.scale > 0 ? `.${fractionPart}` : ''}`;
}

/** Bytes → nearest double, for features (price buckets, preferences), never for money arithmetic. */
export function decimalToNumber(bytes: Uint8Array, spec: Pick<DecimalSpec, 'scale'> = MONEY_DECIMAL): number {
  return Number(decimalToString(bytes, spec));
}

export function encodeTwosComplement(value: bigint): Buffer {
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length += 1;
  const bytes = Buffer.alloc(length);
  let rest = BigInt.asUintN(8 * length, value);
  for (let index = length - 1; index >= 0; index -= 1) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

export function decodeTwosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw invalid('a decimal needs at least one byte');
  let unsigned = 0n;
  for (const byte of bytes) unsigned = (unsigned << 8n) | BigInt(byte);
  return BigInt.asIntN(8 * bytes.length, unsigned);
}

function invalid(message: string): AppError {
  return new AppError(ErrorCode.InvalidArgument, `invalid decimal: ${message}`);
}
