/**
 * Integration (needs the local stack: MariaDB with Debezium streaming to cdc.*, Kafka, Redis): live
 * `ALTER TABLE` on captured tables while normalize runs (issue 15, item 8).
 *
 * - A column added to `shop.datasets` is not captured (the connector's column include list), and the
 *   table keeps flowing: the dataset reaches `events.items.v1`.
 * - A column normalize reads, dropped from `matomo_log_link_visit_action` with a real `DROP COLUMN`, sends
 *   that table's rows to `dlq.normalize` as `missing_column`; the connector keeps RUNNING, and once the
 *   column is added back the table's rows become interactions again.
 *
 * The dropped column's values (the demo's cart prices) are copied to a side table first and written back
 * after the column returns, with the binary log off for that session: Debezium sees the two DDL statements
 * and nothing else, so the shared demo data and its change stream end as they were. The schema is restored
 * in afterAll whatever happened, so later tests see the schema of schemas/sql.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { type DeadLetter } from '@streamrec/foundation';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import { writeMatomoRows, writeShopRows } from '../helpers/normalize-rows.js';
import { startOwnNormalize, type OwnNormalize } from '../helpers/own-normalize.js';
import { runCommand } from '../helpers/run-command.js';
import { connectMariaDb, connectUrl, createKafka, uniqueSuffix } from '../helpers/stack.js';
import { TopicTail } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix();
const addedColumn = `live_alter_${suffix.replace(/[^a-z0-9]/gi, '').slice(0, 20).toLowerCase()}`;
const actionsTable = 'matomo.matomo_log_link_visit_action';
const backupTable = 'matomo.live_alter_custom_float_backup';
const kafka = createKafka('test-cdc-live-alter');
const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
const datasetsTopic = 'cdc.shop.datasets';
const actionsTopic = 'cdc.matomo.matomo_log_link_visit_action';
const tail = new TopicTail(kafka, [AvroSchemaName.Interactions, AvroSchemaName.Items, 'dlq.normalize', datasetsTopic, actionsTopic]);
let shop: Connection;
let matomo: Connection;
let normalize: OwnNormalize | undefined;

async function columnsOf(db: Connection, schema: string, table: string): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [schema, table]);
  return rows.map((row) => String(row['name']));
}

async function connectorState(): Promise<string> {
  const status = (await (await fetch(`${connectUrl}/connectors/cdc-mariadb/status`)).json()) as { connector: { state: string }; tasks: { state: string }[] };
  return [status.connector.state, ...status.tasks.map((task) => task.state)].join('/');
}

/** DDL as MariaDB's root, as an operator would run it (the application user may not ALTER: least privilege). */
async function ddl(statement: string): Promise<void> {
  const result = await runCommand(['bash', '-c', 'source infra/local/lib.sh && source infra/local/components/mariadb.sh && mariadb_client -e "$1"', 'mariadb-root', statement], 60_000);
  if (result.code !== 0) throw new Error(`${statement} failed (exit ${result.code}): ${result.output.slice(-500)}`);
}

async function hasBackup(): Promise<boolean> {
  const [rows] = await matomo.query<RowDataPacket[]>("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'matomo' AND TABLE_NAME = 'live_alter_custom_float_backup'");
  return rows.length > 0;
}

/** Copies custom_float aside (not in the binary log, so not in any change stream), then drops the column. */
async function dropCustomFloat(): Promise<void> {
  await ddl(`SET SESSION sql_log_bin = 0; CREATE TABLE ${backupTable} (idlink_va BIGINT UNSIGNED PRIMARY KEY, custom_float DOUBLE NOT NULL)
    SELECT idlink_va, custom_float FROM ${actionsTable} WHERE custom_float IS NOT NULL`);
  await ddl(`ALTER TABLE ${actionsTable} DROP COLUMN custom_float`);
}

/** Adds custom_float back where schemas/sql has it (a logged DDL), then writes its values back unlogged. */
async function addCustomFloatBack(): Promise<void> {
  if (!(await columnsOf(matomo, 'matomo', 'matomo_log_link_visit_action')).includes('custom_float')) {
    await ddl(`ALTER TABLE ${actionsTable} ADD COLUMN custom_float DOUBLE NULL DEFAULT NULL AFTER idaction_name_ref`);
  }
  if (await hasBackup()) {
    await ddl(`SET SESSION sql_log_bin = 0; UPDATE ${actionsTable} AS a JOIN ${backupTable} AS b USING (idlink_va) SET a.custom_float = b.custom_float; DROP TABLE ${backupTable}`);
  }
}

/** Puts the schema back to schemas/sql, whatever a failed test left. */
async function restoreSchema(): Promise<void> {
  if ((await columnsOf(shop, 'shop', 'datasets')).includes(addedColumn)) await ddl(`ALTER TABLE shop.datasets DROP COLUMN \`${addedColumn}\``);
  await addCustomFloatBack();
}

beforeAll(async () => {
  [shop, matomo] = await Promise.all([connectMariaDb('shop'), connectMariaDb('matomo')]);
  await restoreSchema();
  await tail.start();
  normalize = await startOwnNormalize('cdc-live-alter', suffix, 800_000);
});

afterAll(async () => {
  await restoreSchema().catch((error: unknown) => console.error('could not restore the schema', error));
  await normalize?.stop();
  await tail.stop();
  await Promise.all([shop.end(), matomo.end()]);
});

describe('live ALTER TABLE on captured tables', () => {
  it('a column added to shop.datasets is not captured, and the table keeps flowing into events.items.v1', async () => {
    await ddl(`ALTER TABLE shop.datasets ADD COLUMN \`${addedColumn}\` VARCHAR(64) NULL`);
    const secret = `added-${suffix}`;
    const [inserted] = await shop.execute<ResultSetHeader>(
      `INSERT INTO datasets (title, description, tags, industry, price, status, seller, \`${addedColumn}\`) VALUES (?, 'live alter', 'test', 'finance', 3.50, 'listed', ?, ?)`,
      [`live alter ${suffix}`, `seller-${suffix}`, secret],
    );
    const record = await waitFor(() => tail.of(datasetsTopic).find((candidate) => candidate.value?.toString().includes(`live alter ${suffix}`) === true), {
      timeoutMs: 30_000,
      description: 'the dataset on its cdc topic',
    });
    expect(record.value?.toString()).not.toContain(secret);
    expect(Object.keys((JSON.parse(record.value?.toString() ?? '{}') as { after: Record<string, unknown> }).after)).not.toContain(addedColumn);
    await waitFor(() => tail.of(AvroSchemaName.Items).some((item) => item.key?.toString() === String(inserted.insertId)), { timeoutMs: 30_000, description: 'the dataset on events.items.v1' });
    expect(await connectorState()).toBe('RUNNING/RUNNING');
  });

  it('a column normalize reads, dropped: its rows are dead-lettered as missing_column, the connector keeps running, and rows flow again once it is back', async () => {
    const rows = await writeShopRows(shop, `alter-${suffix}`);
    const [[pricesBefore]] = await matomo.query<RowDataPacket[]>(`SELECT COUNT(*) AS n, SUM(custom_float) AS total FROM ${actionsTable} WHERE custom_float IS NOT NULL`);
    await dropCustomFloat();
    expect(await columnsOf(matomo, 'matomo', 'matomo_log_link_visit_action')).not.toContain('custom_float');
    const during = await writeMatomoRows(matomo, rows.datasetId, rows.userId);
    const duringOffsets = await waitFor(
      () => {
        const found = tail.of(actionsTopic).filter((candidate) => during.eventIds.some((id) => candidate.value?.toString().includes(`"idlink_va":${id.split(':').at(-1) ?? ''},`) === true));
        return found.length >= during.eventIds.length ? found.map((candidate) => `${candidate.partition}/${candidate.offset}`) : undefined;
      },
      { timeoutMs: 30_000, description: 'the rows written while the column is gone, on their cdc topic' },
    );
    const letters = await waitFor(
      () => {
        const found = tail
          .of('dlq.normalize')
          .map((letter) => JSON.parse(letter.value?.toString() ?? '{}') as DeadLetter)
          .filter((letter) => letter.source.topic === actionsTopic && duringOffsets.includes(`${letter.source.partition}/${letter.source.offset}`));
        return found.length >= during.eventIds.length ? found : undefined;
      },
      { timeoutMs: 40_000, description: 'their dead letters' },
    );
    for (const letter of letters) expect(letter).toMatchObject({ processor: 'normalize', code: 'REC_CDC_ENVELOPE_INVALID', reason: 'missing_column' });
    expect(await connectorState()).toBe('RUNNING/RUNNING');

    await addCustomFloatBack();
    const [[pricesAfter]] = await matomo.query<RowDataPacket[]>(`SELECT COUNT(*) AS n, SUM(custom_float) AS total FROM ${actionsTable} WHERE custom_float IS NOT NULL`);
    expect(pricesAfter).toEqual(pricesBefore);
    const after = await writeMatomoRows(matomo, rows.datasetId, rows.userId);
    await waitFor(
      () => {
        const emitted = new Set(tail.of(AvroSchemaName.Interactions).flatMap((record) => {
          try {
            return [interactionCodec.decode(record.value ?? Buffer.alloc(0)).event_id];
          } catch {
            return [];
          }
        }));
        return after.eventIds.every((id) => emitted.has(id)) ? true : undefined;
      },
      { timeoutMs: 40_000, description: 'the rows written after the column is back, as interactions' },
    );
    // The values written back (before the rows above in the binary log, if they were in it) changed no change stream.
    expect(Number(pricesBefore?.['n'])).toBeGreaterThan(0);
    expect(tail.of(actionsTopic).filter((record) => (JSON.parse(record.value?.toString() ?? '{}') as { op?: string }).op === 'u')).toEqual([]);
    expect(await connectorState()).toBe('RUNNING/RUNNING');
  });
});
