import avsc from 'avsc';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parsingCanonicalForm, schemaFingerprint } from './canonical-form.js';
import { InteractionAction, InteractionSource, type EventRecordTypes } from './event-types.js';
import { AvroSchemaName, isAvroSchemaName, loadAvroSchema, loadAvroSchemaHistory, schemaPaths } from './schema-files.js';

interface FieldJson {
  name: string;
  type: unknown;
  doc?: string;
  default?: unknown;
}

interface RecordJson {
  type: string;
  name: string;
  namespace: string;
  doc?: string;
  fields: FieldJson[];
}

const names = Object.values(AvroSchemaName);
const record = (name: AvroSchemaName): RecordJson => loadAvroSchema(name) as RecordJson;

function enumSymbols(schema: RecordJson, field: string): unknown {
  const type = schema.fields.find((candidate) => candidate.name === field)?.type as { symbols?: unknown } | undefined;
  return type?.symbols;
}

describe('the owned Avro schemas', () => {
  it.each(names)('%s is a documented record in io.streamrec.events', (name) => {
    const schema = record(name);
    expect(schema.type).toBe('record');
    expect(schema.namespace).toBe('io.streamrec.events');
    expect(schema.doc).toBeTruthy();
    const undocumented = schema.fields.filter((field) => !field.doc || field.doc.trim().length < 10).map((field) => field.name);
    expect(undocumented).toEqual([]);
  });

  it.each(names)('%s gives every nullable field a null default, so it can be dropped by a later writer', (name) => {
    const nullableWithoutDefault = record(name)
      .fields.filter((field) => Array.isArray(field.type) && field.type[0] === 'null' && field.default !== null)
      .map((field) => field.name);
    expect(nullableWithoutDefault).toEqual([]);
  });

  it.each(names)('%s has the Parsing Canonical Form avsc derives, so both agree on the fingerprint', (name) => {
    const schema = loadAvroSchema(name);
    const type = avsc.Type.forSchema(schema as avsc.schema.AvroSchema, { wrapUnions: 'never' });
    expect(parsingCanonicalForm(schema)).toBe(JSON.stringify(type.schema()));
  });

  it('gives the three topics three different fingerprints', () => {
    const fingerprints = new Set(names.map((name) => schemaFingerprint(loadAvroSchema(name)).toString('hex')));
    expect(fingerprints.size).toBe(names.length);
  });

  it('keeps the TypeScript enums equal to the schema symbols', () => {
    const interactions = record(AvroSchemaName.Interactions);
    expect(enumSymbols(interactions, 'action')).toEqual(Object.values(InteractionAction));
    expect(enumSymbols(interactions, 'source')).toEqual(Object.values(InteractionSource));
  });

  it('keeps a value type for every schema name and no other', () => {
    expectTypeOf<keyof EventRecordTypes>().toEqualTypeOf<AvroSchemaName>();
    expect(Object.keys(schemaPaths.avro).sort()).toEqual([...names].sort());
  });

  it('keeps each field name of the value types equal to the schema fields', () => {
    const interactionFields: Array<keyof EventRecordTypes['events.interactions.v1']> = [
      'event_id', 'user_id', 'visitor_id', 'item_id', 'action', 'event_time', 'source',
      'session_id', 'price', 'quantity', 'request_id', 'ingest_time',
    ];
    const itemFields: Array<keyof EventRecordTypes['events.items.v1']> = [
      'id', 'title', 'description', 'tags', 'industry', 'price', 'status', 'available', 'deleted',
      'created_at', 'updated_at', 'source_version',
    ];
    const userFields: Array<keyof EventRecordTypes['events.users.v1']> = [
      'id', 'industry', 'country', 'company_size', 'segment', 'created_at', 'updated_at', 'deleted', 'source_version',
    ];
    expect(record(AvroSchemaName.Interactions).fields.map((field) => field.name)).toEqual(interactionFields);
    expect(record(AvroSchemaName.Items).fields.map((field) => field.name)).toEqual(itemFields);
    expect(record(AvroSchemaName.Users).fields.map((field) => field.name)).toEqual(userFields);
    const exposureFields: Array<keyof EventRecordTypes['serving.exposures.v1']> = [
      'request_id', 'user_id', 'event_time', 'scene', 'experiment', 'variant', 'model_name', 'model_version',
      'degraded_reasons', 'latency_ms', 'feature_names', 'items', 'ingest_time',
    ];
    expect(record(AvroSchemaName.Exposures).fields.map((field) => field.name)).toEqual(exposureFields);
    const publicationFields: Array<keyof EventRecordTypes['models.published.v1']> = [
      'name', 'version', 'published_at', 'format', 'onnx', 'sha256', 'feature_names', 'metrics', 'lineage',
    ];
    expect(record(AvroSchemaName.ModelPublications).fields.map((field) => field.name)).toEqual(publicationFields);
  });

  it('recognises owned schema names', () => {
    expect(isAvroSchemaName('events.items.v1')).toBe(true);
    expect(isAvroSchemaName('cdc.shop.datasets')).toBe(false);
  });

  it.each(names)('%s history revisions, if any, all differ from each other and from the current schema', (name) => {
    const revisions = [loadAvroSchema(name), ...loadAvroSchemaHistory(name)];
    const fingerprints = new Set(revisions.map((schema) => schemaFingerprint(schema).toString('hex')));
    expect(fingerprints.size).toBe(revisions.length);
  });
});
