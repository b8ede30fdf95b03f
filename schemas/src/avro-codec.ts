import avsc from 'avsc';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { schemaFingerprint } from './canonical-form.js';
import type { EventRecordTypes } from './event-types.js';
import { loadAvroSchema, loadAvroSchemaHistory, type AvroSchemaName } from './schema-files.js';
import { SINGLE_OBJECT_HEADER_LENGTH, frameSingleObject, isSingleObjectOf, parseSingleObject, singleObjectBody } from './single-object.js';

type AvroType = avsc.Type;
type Resolver = ReturnType<AvroType['createResolver']>;

export interface AvroCodecOptions {
  /** Label used in error messages and details, e.g. the topic name. */
  readonly name: string;
  /** The schema values are written with and read into (the reader schema). */
  readonly schema: unknown;
  /**
   * Earlier writer schemas whose data may still be in the topic. Each must resolve to `schema`
   * by Avro's rules; this is checked once, here, so an incompatible change fails at boot.
   */
  readonly writerSchemas?: readonly unknown[];
}

interface KnownWriter {
  /** Undefined for the reader schema itself: no resolution needed. */
  readonly resolver: Resolver | undefined;
}

/**
 * Encodes values as Avro single-object messages and decodes messages written with any known writer
 * schema into the reader schema's shape. Every failure is an AppError: an unknown fingerprint is
 * REC_SCHEMA_UNKNOWN_FINGERPRINT (a writer is ahead of this reader: deploy the new schema), a
 * malformed message REC_PAYLOAD_INVALID; both are not retriable and belong in the DLQ.
 */
export class AvroCodec<T> {
  readonly name: string;
  /** The reader/writer schema's fingerprint, 16 hex chars in wire order. */
  readonly fingerprint: string;
  private readonly fingerprintBytes: Buffer;
  private readonly type: AvroType;
  private readonly writers = new Map<string, KnownWriter>();
  /** Whether the schema is a record whose first field is a string (what `peekLeadingString` reads). */
  private readonly leadsWithString: boolean;

  constructor(options: AvroCodecOptions) {
    this.name = options.name;
    this.type = parseAvroType(options.schema, options.name);
    this.fingerprintBytes = schemaFingerprint(options.schema);
    this.fingerprint = this.fingerprintBytes.toString('hex');
    this.writers.set(this.fingerprint, { resolver: undefined });
    this.leadsWithString = this.type instanceof avsc.types.RecordType && this.type.fields[0]?.type.typeName === 'string';
    for (const writerSchema of options.writerSchemas ?? []) {
      const fingerprint = schemaFingerprint(writerSchema).toString('hex');
      if (this.writers.has(fingerprint)) continue;
      this.writers.set(fingerprint, { resolver: this.resolverFor(writerSchema, fingerprint) });
    }
  }

  /** Fingerprints this codec can decode, the reader's own first. */
  get knownFingerprints(): readonly string[] {
    return [...this.writers.keys()];
  }

  encode(value: T): Buffer {
    // avsc's check without an error hook is its fast path (no path strings per field and array element);
    // only a value that fails it is checked again to name every problem.
    if (!this.type.isValid(value, { noUndeclaredFields: true })) throw this.invalidValue(value);
    return frameSingleObject(this.fingerprintBytes, this.type.toBuffer(value));
  }

  /**
   * `encode` for a value built field by field by typed code on a hot path (a mapping function returning
   * an object literal, where the compiler already refuses an undeclared field): the same bytes, without
   * the separate validation pass. avsc's writer still refuses a value of the wrong type or a missing
   * field, with the same error as `encode`; only an undeclared field is not looked for (avsc drops it).
   */
  encodeBuilt(value: T): Buffer {
    let body: Buffer;
    try {
      body = this.type.toBuffer(value);
    } catch {
      throw this.invalidValue(value);
    }
    return frameSingleObject(this.fingerprintBytes, body);
  }

  private invalidValue(value: T): AppError {
    const problems: string[] = [];
    this.type.isValid(value, {
      noUndeclaredFields: true,
      errorHook: (path: string[], fieldValue: unknown, fieldType: AvroType) => {
        problems.push(`${path.length > 0 ? path.join('.') : '(root)'}: ${describe(fieldValue, fieldType)}`);
      },
    });
    return new AppError(ErrorCode.PayloadInvalid, `${this.name}: value does not match the schema (${problems.join('; ')})`, {
      details: { schema: this.name, problems },
    });
  }

  decode(payload: Uint8Array): T {
    const { fingerprint, body } = isSingleObjectOf(payload, this.fingerprintBytes) ? { fingerprint: this.fingerprint, body: singleObjectBody(payload) } : parseSingleObject(payload);
    const writer = this.writers.get(fingerprint);
    if (writer === undefined) {
      throw new AppError(
        ErrorCode.SchemaUnknownFingerprint,
        `${this.name}: message written with unknown schema fingerprint ${fingerprint}`,
        { details: { schema: this.name, fingerprint, known: this.knownFingerprints } },
      );
    }
    try {
      return this.type.fromBuffer(body, writer.resolver) as T;
    } catch (cause) {
      throw new AppError(ErrorCode.PayloadInvalid, `${this.name}: cannot decode Avro body (${errorMessage(cause)})`, {
        cause,
        details: { schema: this.name, fingerprint },
      });
    }
  }

  /**
   * The first field of a message written with this codec's own schema, read from its bytes without
   * decoding the rest, when that field is a string (e.g. a record's kind, so a reader can skip kinds it
   * does not use undecoded). Undefined whenever that cannot be read safely: another writer schema, a
   * schema that does not lead with a string, or bytes that end early. `decode` then says what is wrong.
   */
  peekLeadingString(payload: Uint8Array): string | undefined {
    if (!this.leadsWithString || !isSingleObjectOf(payload, this.fingerprintBytes)) return undefined;
    return leadingAvroString(payload, SINGLE_OBJECT_HEADER_LENGTH);
  }

  private resolverFor(writerSchema: unknown, fingerprint: string): Resolver {
    const writerType = parseAvroType(writerSchema, `${this.name} writer ${fingerprint}`);
    try {
      return this.type.createResolver(writerType);
    } catch (cause) {
      throw new AppError(
        ErrorCode.SchemaInvalid,
        `${this.name}: writer schema ${fingerprint} cannot be read with the current schema (${errorMessage(cause)})`,
        { cause, details: { schema: this.name, fingerprint } },
      );
    }
  }
}

/** Codec of an owned topic: current schema from `schemas/avro`, earlier revisions from its history. */
export function createEventCodec<N extends AvroSchemaName>(name: N, directory?: string): AvroCodec<EventRecordTypes[N]> {
  return new AvroCodec<EventRecordTypes[N]>({
    name,
    schema: loadAvroSchema(name, directory),
    writerSchemas: loadAvroSchemaHistory(name, directory),
  });
}

function parseAvroType(schema: unknown, label: string): AvroType {
  try {
    // Unions are never wrapped, so values are plain `T | null`; an ambiguous union fails here.
    // No logical-type implementations: timestamps stay epoch-millisecond numbers, decimals bytes.
    return avsc.Type.forSchema(schema as avsc.schema.AvroSchema, { wrapUnions: 'never', omitRecordMethods: true });
  } catch (cause) {
    throw new AppError(ErrorCode.SchemaInvalid, `${label}: invalid Avro schema (${errorMessage(cause)})`, { cause });
  }
}

/** An Avro string at `at`: its length as a zig-zag varint (at most 4 bytes read here), then UTF-8 bytes. */
function leadingAvroString(bytes: Uint8Array, at: number): string | undefined {
  let zigzag = 0;
  let shift = 0;
  let position = at;
  for (;;) {
    if (position >= bytes.length || shift > 21) return undefined;
    const byte = bytes[position] as number;
    position += 1;
    zigzag |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
    shift += 7;
  }
  const length = (zigzag >>> 1) ^ -(zigzag & 1);
  if (length < 0 || position + length > bytes.length) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset + position, length).toString('utf8');
}

function describe(value: unknown, type: AvroType): string {
  if (value === undefined) return 'missing';
  if (type instanceof avsc.types.RecordType && typeof value === 'object' && value !== null) {
    const declared = new Set(type.fields.map((field) => field.name));
    const undeclared = Object.keys(value).filter((key) => !declared.has(key));
    if (undeclared.length > 0) return `undeclared field(s) ${undeclared.join(', ')}`;
  }
  if (typeof value === 'bigint') return `${value.toString()}n (a long must be a number)`;
  if (Buffer.isBuffer(value)) return `bytes(${value.length})`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  text ??= typeof value;
  return `invalid value ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
