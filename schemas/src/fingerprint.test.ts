import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { parsingCanonicalForm, schemaFingerprint } from './canonical-form.js';
import { crc64Avro } from './crc64-avro.js';

/**
 * Test vectors from the Avro project, share/test/data/schema-tests.txt (apache/avro), which every
 * Avro implementation checks against: input schema, Parsing Canonical Form, and the CRC-64-AVRO
 * fingerprint as a signed Java long (Java cross-checks them with a direct Rabin implementation).
 */
const specVectors: ReadonlyArray<{ id: string; input: string; canonical: string; fingerprint?: bigint }> = [
  { id: '000', input: '"null"', canonical: '"null"', fingerprint: 7195948357588979594n },
  { id: '001', input: '{"type":"null"}', canonical: '"null"' },
  { id: '002', input: '"boolean"', canonical: '"boolean"', fingerprint: -6970731678124411036n },
  { id: '004', input: '"int"', canonical: '"int"', fingerprint: 8247732601305521295n },
  { id: '006', input: '"long"', canonical: '"long"', fingerprint: -3434872931120570953n },
  { id: '008', input: '"float"', canonical: '"float"', fingerprint: 5583340709985441680n },
  { id: '010', input: '"double"', canonical: '"double"', fingerprint: -8181574048448539266n },
  { id: '012', input: '"bytes"', canonical: '"bytes"', fingerprint: 5746618253357095269n },
  { id: '014', input: '"string"', canonical: '"string"', fingerprint: -8142146995180207161n },
  { id: '016', input: '[  ]', canonical: '[]', fingerprint: -1241056759729112623n },
  { id: '017', input: '[ "int"  ]', canonical: '["int"]', fingerprint: -5232228896498058493n },
  { id: '018', input: '[ "int" , {"type":"boolean"} ]', canonical: '["int","boolean"]', fingerprint: 5392556393470105090n },
  {
    id: '019',
    input: '{"fields":[], "type":"record", "name":"foo"}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: -4824392279771201922n,
  },
  {
    id: '020',
    input: '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    canonical: '{"name":"x.y.foo","type":"record","fields":[]}',
    fingerprint: 5916914534497305771n,
  },
  {
    id: '021',
    input: '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    canonical: '{"name":"a.b.foo","type":"record","fields":[]}',
    fingerprint: -4616218487480524110n,
  },
  {
    id: '024',
    input: '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: -4824392279771201922n,
  },
  {
    id: '025',
    input: '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    canonical: '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
    fingerprint: 7843277075252814651n,
  },
  {
    id: '026',
    input: `{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":"true"},
                {"order":"descending","name":"f2","doc":"Hello","type":"int"}],
      "type":"record", "name":"foo"
    }`,
    canonical: '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: -4860222112080293046n,
  },
  {
    id: '027',
    input: '{"type":"enum", "name":"foo", "symbols":["A1"]}',
    canonical: '{"name":"foo","type":"enum","symbols":["A1"]}',
    fingerprint: -6342190197741309591n,
  },
  {
    id: '028',
    input: '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    canonical: '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    fingerprint: -4448647247586288245n,
  },
  {
    id: '029',
    input: '{"name":"foo","type":"fixed","size":15}',
    canonical: '{"name":"foo","type":"fixed","size":15}',
    fingerprint: 1756455273707447556n,
  },
  {
    id: '030',
    input: '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    canonical: '{"name":"x.y.z.foo","type":"fixed","size":32}',
    fingerprint: -3064184465700546786n,
  },
  {
    id: '031',
    input: '{ "items":{"type":"null"}, "type":"array"}',
    canonical: '{"type":"array","items":"null"}',
    fingerprint: -589620603366471059n,
  },
  {
    id: '032',
    input: '{ "values":"string", "type":"map"}',
    canonical: '{"type":"map","values":"string"}',
    fingerprint: -8732877298790414990n,
  },
  {
    id: '033',
    input: `{"name":"PigValue","type":"record",
       "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}`,
    canonical: '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    fingerprint: -1759257747318642341n,
  },
];

describe('Parsing Canonical Form', () => {
  it.each(specVectors)('matches the Avro spec vector $id', ({ input, canonical }) => {
    expect(parsingCanonicalForm(JSON.parse(input))).toBe(canonical);
  });

  it('qualifies nested names with the enclosing namespace and writes a repeated type by name', () => {
    const schema = {
      type: 'record',
      name: 'Outer',
      namespace: 'a.b',
      doc: 'dropped',
      fields: [
        { name: 'first', type: { type: 'enum', name: 'Kind', symbols: ['X'] }, default: 'X' },
        { name: 'second', type: 'Kind' },
        { name: 'when', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    };
    expect(parsingCanonicalForm(schema)).toBe(
      '{"name":"a.b.Outer","type":"record","fields":[{"name":"first","type":{"name":"a.b.Kind","type":"enum","symbols":["X"]}},' +
        '{"name":"second","type":"a.b.Kind"},{"name":"when","type":"long"}]}',
    );
  });

  it('rejects a reference to an undefined type with REC_SCHEMA_INVALID', () => {
    const attempt = () => parsingCanonicalForm({ type: 'record', name: 'R', fields: [{ name: 'f', type: 'Missing' }] });
    expect(attempt).toThrow(/undefined type/);
    try {
      attempt();
    } catch (error) {
      expect(isAppError(error, ErrorCode.SchemaInvalid)).toBe(true);
    }
  });
});

describe('CRC-64-AVRO fingerprint', () => {
  it.each(specVectors.filter((vector) => vector.fingerprint !== undefined))(
    'matches the Avro spec vector $id',
    ({ canonical, fingerprint }) => {
      expect(BigInt.asIntN(64, crc64Avro(Buffer.from(canonical, 'utf8')))).toBe(fingerprint);
    },
  );

  it('agrees with goavro\'s unsigned vectors for "int" and "string"', () => {
    expect(crc64Avro(Buffer.from('"int"'))).toBe(0x7275d51a3f395c8fn);
    expect(crc64Avro(Buffer.from('"string"'))).toBe(0x8f014872634503c7n);
  });

  it('is written little-endian, as the single-object encoding and Java SchemaNormalization do', () => {
    const bytes = schemaFingerprint('int');
    expect(bytes.toString('hex')).toBe('8f5c393f1ad57572');
    expect(bytes.readBigInt64LE()).toBe(8247732601305521295n);
  });

  it('ignores doc, aliases, defaults and logical types, which do not change how bytes are read', () => {
    const plain = { type: 'record', name: 'R', fields: [{ name: 'at', type: 'long' }] };
    const annotated = {
      type: 'record',
      name: 'R',
      doc: 'documented',
      aliases: ['Old'],
      fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'when', default: 0 }],
    };
    expect(schemaFingerprint(annotated).equals(schemaFingerprint(plain))).toBe(true);
  });
});
