import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, isAppError, type AppError } from '@streamrec/foundation';
import { AvroCodec, createEventCodec } from './avro-codec.js';
import { schemaFingerprint } from './canonical-form.js';
import { decimalFromString, decimalToString } from './decimal.js';
import type { Exposure, Interaction, ItemChange, UserChange } from './event-types.js';
import { AvroSchemaName, loadAvroSchema } from './schema-files.js';

const interaction: Interaction = {
  event_id: 'matomo:lva:991',
  user_id: 'anon:0123456789abcdef',
  visitor_id: '0123456789abcdef',
  item_id: 42,
  action: 'purchase',
  event_time: 1_732_550_400_123,
  source: 'matomo',
  session_id: '77',
  price: decimalFromString('149.90'),
  quantity: 1,
  request_id: 'req-5f2c',
  ingest_time: 1_732_550_401_000,
};

const organicView: Interaction = {
  ...interaction,
  event_id: 'beacon:3b1d',
  user_id: '1001',
  visitor_id: null,
  action: 'view',
  source: 'beacon',
  session_id: null,
  price: null,
  quantity: null,
  request_id: null,
};

const item: ItemChange = {
  id: 42,
  title: 'EU retail footfall 2019-2024',
  description: '',
  tags: ['retail', 'mobility'],
  industry: 'retail',
  price: decimalFromString('0'),
  status: 'listed',
  available: true,
  deleted: false,
  created_at: 1_700_000_000_000,
  updated_at: 1_732_550_400_000,
  source_version: 3 * 2 ** 32 + 15_342,
};

const user: UserChange = {
  id: 1001,
  industry: 'finance',
  country: 'DE',
  company_size: '51-200',
  segment: null,
  created_at: 1_700_000_000_000,
  updated_at: 1_700_000_500_000,
  deleted: false,
  source_version: 3 * 2 ** 32 + 99,
};

function thrown(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

/** The current interactions schema plus fields, as the next revision would add them. */
function interactionsWithFields(...fields: Array<Record<string, unknown>>): Record<string, unknown> {
  const current = loadAvroSchema(AvroSchemaName.Interactions) as { fields: unknown[] };
  return { ...current, fields: [...current.fields, ...fields] };
}

describe('AvroCodec round trips', () => {
  it('round-trips an attributed purchase with every optional field set', () => {
    const codec = createEventCodec(AvroSchemaName.Interactions);
    const decoded = codec.decode(codec.encode(interaction));
    expect(decoded).toEqual(interaction);
    expect(decoded.price && decimalToString(decoded.price)).toBe('149.90');
  });

  it('round-trips an organic view with the optional fields null', () => {
    const codec = createEventCodec(AvroSchemaName.Interactions);
    expect(codec.decode(codec.encode(organicView))).toEqual(organicView);
  });

  it('round-trips an item change and a user change', () => {
    const items = createEventCodec(AvroSchemaName.Items);
    const users = createEventCodec(AvroSchemaName.Users);
    expect(items.decode(items.encode(item))).toEqual(item);
    expect(users.decode(users.encode(user))).toEqual(user);
  });

  it('round-trips an exposure with float32 scores and features', () => {
    const exposures = createEventCodec(AvroSchemaName.Exposures);
    const exposure: Exposure = {
      request_id: 'req-1',
      user_id: '42',
      event_time: 1_732_000_000_000,
      scene: 'home',
      experiment: 'ranker-2026-11',
      variant: 'b',
      model_name: 'ranker',
      model_version: '7',
      degraded_reasons: [],
      latency_ms: 23,
      feature_names: ['pop', 'affinity'],
      items: [
        { item_id: 7, position: 0, channel: 'cooccurrence', score: 0.75, features: [1.5, 0.25], shown: true },
        { item_id: 9, position: 1, channel: 'popular', score: 0.5, features: [0.5, 0], shown: true },
      ],
      ingest_time: 1_732_000_000_010,
    };
    expect(exposures.decode(exposures.encode(exposure))).toEqual(exposure);
  });

  it('frames messages as C3 01 + the little-endian CRC-64-AVRO fingerprint + the Avro body', () => {
    const codec = createEventCodec(AvroSchemaName.Users);
    const message = codec.encode(user);
    const fingerprint = schemaFingerprint(loadAvroSchema(AvroSchemaName.Users));
    expect([...message.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    expect(message.subarray(2, 10).equals(fingerprint)).toBe(true);
    expect(codec.fingerprint).toBe(fingerprint.toString('hex'));
  });

  it('decodes from a Uint8Array view that is not a Buffer', () => {
    const codec = createEventCodec(AvroSchemaName.Items);
    const message = codec.encode(item);
    const padded = new Uint8Array(message.length + 5);
    padded.set(message, 5);
    expect(codec.decode(padded.subarray(5))).toEqual(item);
  });
});

describe('AvroCodec rejects bad input with coded errors', () => {
  const codec = createEventCodec(AvroSchemaName.Interactions);

  it('rejects a message from an unknown writer schema with REC_SCHEMA_UNKNOWN_FINGERPRINT', () => {
    const message = Buffer.from(codec.encode(interaction));
    message.writeBigUInt64LE(0x0123456789abcdefn, 2);
    const error = thrown(() => codec.decode(message));
    expect(error.code).toBe(ErrorCode.SchemaUnknownFingerprint);
    expect(error.retriable).toBe(false);
    expect(error.details).toMatchObject({ fingerprint: 'efcdab8967452301', known: [codec.fingerprint] });
  });

  it('rejects a message of another topic as an unknown fingerprint, not as garbage', () => {
    const users = createEventCodec(AvroSchemaName.Users);
    expect(thrown(() => codec.decode(users.encode(user))).code).toBe(ErrorCode.SchemaUnknownFingerprint);
  });

  it('rejects a payload without the C3 01 marker with REC_PAYLOAD_INVALID', () => {
    const message = Buffer.from(codec.encode(interaction));
    message[0] = 0x7b;
    const error = thrown(() => codec.decode(message));
    expect(error.code).toBe(ErrorCode.PayloadInvalid);
    expect(error.message).toMatch(/C3 01/);
  });

  it('rejects a payload shorter than the header with REC_PAYLOAD_INVALID', () => {
    expect(thrown(() => codec.decode(Buffer.from([0xc3, 0x01, 0x00]))).code).toBe(ErrorCode.PayloadInvalid);
    expect(thrown(() => codec.decode(Buffer.alloc(0))).code).toBe(ErrorCode.PayloadInvalid);
  });

  it('rejects a truncated body with REC_PAYLOAD_INVALID', () => {
    const message = codec.encode(interaction);
    const error = thrown(() => codec.decode(message.subarray(0, message.length - 3)));
    expect(error.code).toBe(ErrorCode.PayloadInvalid);
    expect(error.message).toMatch(/truncated/);
  });

  it('rejects trailing bytes after the body with REC_PAYLOAD_INVALID', () => {
    const message = Buffer.concat([codec.encode(interaction), Buffer.from([0x00])]);
    expect(thrown(() => codec.decode(message)).code).toBe(ErrorCode.PayloadInvalid);
  });

  it('refuses to encode a value that does not match the schema, naming the field', () => {
    const unknownAction = { ...interaction, action: 'share' } as unknown as Interaction;
    const error = thrown(() => codec.encode(unknownAction));
    expect(error.code).toBe(ErrorCode.PayloadInvalid);
    expect(error.message).toMatch(/action/);
  });

  it('refuses to encode an undeclared field, so a misspelt optional field is not silently dropped', () => {
    const misspelt = { ...interaction, requestId: 'req-1' } as unknown as Interaction;
    const error = thrown(() => codec.encode(misspelt));
    expect(error.code).toBe(ErrorCode.PayloadInvalid);
    expect(error.message).toMatch(/undeclared field\(s\) requestId/);
  });
});

describe('AvroCodec schema evolution', () => {
  const v1 = loadAvroSchema(AvroSchemaName.Interactions);
  const slotField = { name: 'slot', type: ['null', 'int'], default: null, doc: 'Recommendation slot position.' };
  const channelField = { name: 'channel', type: 'string', default: 'organic', doc: 'Recall channel.' };

  it('reads a v1 message with a reader that added defaulted fields, filling in the defaults', () => {
    const writer = new AvroCodec<Interaction>({ name: 'v1', schema: v1 });
    const reader = new AvroCodec<Interaction & { slot: number | null; channel: string }>({
      name: 'v2',
      schema: interactionsWithFields(slotField),
      writerSchemas: [v1],
    });
    const readerWithBoth = new AvroCodec<Interaction & { slot: number | null; channel: string }>({
      name: 'v3',
      schema: interactionsWithFields(slotField, channelField),
      writerSchemas: [v1],
    });
    expect(reader.decode(writer.encode(interaction))).toEqual({ ...interaction, slot: null });
    expect(readerWithBoth.decode(writer.encode(interaction))).toEqual({ ...interaction, slot: null, channel: 'organic' });
    expect(reader.knownFingerprints).toEqual([reader.fingerprint, writer.fingerprint]);
  });

  it('reads a newer message with an old reader once the newer schema is known, dropping the new field', () => {
    const v2 = interactionsWithFields(slotField);
    const newer = new AvroCodec<Interaction & { slot: number | null }>({ name: 'v2', schema: v2 });
    const oldReader = new AvroCodec<Interaction>({ name: 'v1', schema: v1, writerSchemas: [v2] });
    const unaware = new AvroCodec<Interaction>({ name: 'v1', schema: v1 });
    const message = newer.encode({ ...interaction, slot: 3 });
    expect(oldReader.decode(message)).toEqual(interaction);
    expect(thrown(() => unaware.decode(message)).code).toBe(ErrorCode.SchemaUnknownFingerprint);
  });

  it('rejects, when the codec is built, a reader field added without a default', () => {
    const error = thrown(
      () =>
        new AvroCodec({
          name: 'broken',
          schema: interactionsWithFields({ name: 'slot', type: 'int', doc: 'no default' }),
          writerSchemas: [v1],
        }),
    );
    expect(error.code).toBe(ErrorCode.SchemaInvalid);
  });

  it('rejects, when the codec is built, a field narrowed from long to int', () => {
    const current = v1 as { fields: Array<{ name: string }> };
    const narrowed = {
      ...current,
      fields: current.fields.map((field) => (field.name === 'item_id' ? { ...field, type: 'int' } : field)),
    };
    expect(thrown(() => new AvroCodec({ name: 'narrowed', schema: narrowed, writerSchemas: [v1] })).code).toBe(
      ErrorCode.SchemaInvalid,
    );
  });

  it('rejects an ambiguous unwrapped union when the codec is built', () => {
    const ambiguous = interactionsWithFields({ name: 'x', type: ['null', 'int', 'long'], default: null });
    expect(thrown(() => new AvroCodec({ name: 'ambiguous', schema: ambiguous })).code).toBe(ErrorCode.SchemaInvalid);
  });
});

describe('createEventCodec', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('knows the superseded revisions kept under avro/history/<name>/', () => {
    const directory = mkdtempSync(join(tmpdir(), 'streamrec-avro-'));
    directories.push(directory);
    const v1 = loadAvroSchema(AvroSchemaName.Interactions);
    const v2 = interactionsWithFields({ name: 'slot', type: ['null', 'int'], default: null });
    writeFileSync(join(directory, `${AvroSchemaName.Interactions}.avsc`), JSON.stringify(v2));
    mkdirSync(join(directory, 'history', AvroSchemaName.Interactions), { recursive: true });
    writeFileSync(join(directory, 'history', AvroSchemaName.Interactions, '001.avsc'), JSON.stringify(v1));

    const codec = createEventCodec(AvroSchemaName.Interactions, directory);
    const oldMessage = new AvroCodec<Interaction>({ name: 'v1', schema: v1 }).encode(organicView);
    expect(codec.decode(oldMessage)).toEqual({ ...organicView, slot: null });
  });

  it('reports an unreadable schema file with REC_SCHEMA_INVALID', () => {
    const directory = mkdtempSync(join(tmpdir(), 'streamrec-avro-'));
    directories.push(directory);
    writeFileSync(join(directory, `${AvroSchemaName.Users}.avsc`), '{ not json');
    expect(thrown(() => createEventCodec(AvroSchemaName.Users, directory)).code).toBe(ErrorCode.SchemaInvalid);
    expect(thrown(() => createEventCodec(AvroSchemaName.Items, directory)).code).toBe(ErrorCode.SchemaInvalid);
  });
});
