import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCode } from '@streamrec/foundation';

/** The Avro schemas this repository owns, by topic name (file `schemas/avro/<name>.avsc`). */
export const AvroSchemaName = {
  Interactions: 'events.interactions.v1',
  Items: 'events.items.v1',
  Users: 'events.users.v1',
  Exposures: 'serving.exposures.v1',
  ItemActivity: 'repartition.item-activity.v1',
  CooccurrenceIncrements: 'events.cooccurrence.v1',
  ModelPublications: 'models.published.v1',
} as const;

export type AvroSchemaName = (typeof AvroSchemaName)[keyof typeof AvroSchemaName];

const schemasRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const avroDir = join(schemasRoot, 'avro');

/**
 * Where the schema sources live. `avroHistory/<name>/` keeps every superseded revision of a
 * schema, so data still in a topic stays readable after the schema evolves.
 */
export const schemaPaths = Object.freeze({
  root: schemasRoot,
  avroDir,
  avroHistoryDir: join(avroDir, 'history'),
  clickhouseDir: join(schemasRoot, 'clickhouse'),
  sqlDir: join(schemasRoot, 'sql'),
  avro: Object.freeze(
    Object.fromEntries(Object.values(AvroSchemaName).map((name) => [name, join(avroDir, `${name}.avsc`)])) as Record<
      AvroSchemaName,
      string
    >,
  ),
});

export function isAvroSchemaName(value: string): value is AvroSchemaName {
  return (Object.values(AvroSchemaName) as string[]).includes(value);
}

/** The current schema of a topic, parsed from its `.avsc` file. */
export function loadAvroSchema(name: AvroSchemaName, directory: string = avroDir): unknown {
  return readSchemaFile(join(directory, `${name}.avsc`));
}

/** Superseded revisions of a topic's schema (`history/<name>/*.avsc`), oldest file name first. */
export function loadAvroSchemaHistory(name: AvroSchemaName, directory: string = avroDir): unknown[] {
  const historyDir = join(directory, 'history', name);
  if (!existsSync(historyDir)) return [];
  return readdirSync(historyDir)
    .filter((file) => file.endsWith('.avsc'))
    .sort()
    .map((file) => readSchemaFile(join(historyDir, file)));
}

function readSchemaFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError(ErrorCode.SchemaInvalid, `cannot read Avro schema ${path}`, { cause, details: { path } });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError(ErrorCode.SchemaInvalid, `Avro schema ${path} is not valid JSON`, { cause, details: { path } });
  }
}
