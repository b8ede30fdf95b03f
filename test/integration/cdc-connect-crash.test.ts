/**
 * Integration (needs the local stack: `npm run setup`): kill -9 of the Kafka Connect worker while the
 * demo trickle writes to MariaDB loses no change. Debezium is at-least-once, so re-sent changes
 * (duplicates) are allowed and counted; what must hold is that, for every row the trickle inserted,
 * updated or deleted, the last change on its cdc topic equals the row's final state in MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { capturedColumns, type SourceTable } from '@streamrec/cdc';
import { capturedTables, cdcTopics, countDuplicates, historyByKey } from '../helpers/cdc-state.js';
import { CdcTopicReader } from '../helpers/cdc-topic.js';
import { changedKeys, firstDifference, readTableShape, snapshotRows, type TableShape } from '../helpers/db-snapshot.js';
import { runDemoGenerator } from '../helpers/demo-generator.js';
import { componentPid, connectMariaDb, connectUrl, createKafka, stackCommand } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

let databases: Record<'shop' | 'matomo', Connection>;
let shapes: TableShape[];
let reader: CdcTopicReader;

beforeAll(async () => {
  // The trickle needs a catalogue and users to act on, whatever ran before.
  const seeded = await runDemoGenerator(['bulk', '--seed', '7', '--scale', 'small', '--append']);
  if (seeded.code !== 0) throw new Error(`seeding the shop with a small bulk failed (exit ${seeded.code})`);
  databases = { shop: await connectMariaDb('shop'), matomo: await connectMariaDb('matomo') };
  // The connector captures only the columns the consumers read (capturedColumns): those are compared.
  shapes = await Promise.all(capturedTables.map(({ schema, table }) => readTableShape(databases[schema], schema, table, capturedColumns[`${schema}.${table}` as SourceTable])));
  reader = new CdcTopicReader(createKafka('test-cdc-connect-crash'), cdcTopics);
  await reader.start('now');
});

afterAll(async () => {
  await reader.stop();
  await databases.shop.end();
  await databases.matomo.end();
  // Leave the stack as the test found it, even when the test failed half-way.
  await stackCommand('up', 'connect');
});

async function connectorRunning(): Promise<boolean> {
  const response = await fetch(`${connectUrl}/connectors/cdc-mariadb/status`);
  if (!response.ok) return false;
  const status = (await response.json()) as { connector: { state: string }; tasks: { state: string }[] };
  return status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((task) => task.state === 'RUNNING');
}

describe('Debezium CDC survives a Connect crash', () => {
  it('kill -9 of the Connect worker during the trickle loses no change (duplicates allowed)', async () => {
    const before = await Promise.all(shapes.map((shape) => snapshotRows(databases[shape.schema as 'shop' | 'matomo'], shape)));
    let trickleExit: number | undefined;
    const trickle = runDemoGenerator(['trickle', '--seed', String(Date.now() % 100_000), '--rate', '120', '--duration', '25']).then((result) => {
      trickleExit = result.code;
      return result;
    });

    await reader.waitUntil('the trickle changes to flow through Debezium', (records) => {
      if (trickleExit !== undefined && records.length < 150) throw new Error(`the trickle ended early (exit ${trickleExit})`);
      return records.length >= 150;
    });
    const pid = await componentPid('connect');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid), { timeoutMs: 10_000, description: `Connect pid ${pid} to die` });
    const recordsAtKill = reader.records.length;

    await stackCommand('up', 'connect');
    await waitFor(connectorRunning, { timeoutMs: 120_000, intervalMs: 500, description: 'the connector task to run again' });
    expect((await trickle).code).toBe(0);

    const after = await Promise.all(shapes.map((shape) => snapshotRows(databases[shape.schema as 'shop' | 'matomo'], shape)));
    const changes = shapes.map((shape, index) => ({ shape, topic: `cdc.${shape.schema}.${shape.table}`, keys: changedKeys(before[index]!, after[index]!, shape), rows: after[index]! }));

    let lost: string[] = [];
    await reader
      .waitUntil('every changed row to reach its final state on the cdc topics', (records) => {
        lost = [];
        for (const { shape, topic, keys, rows } of changes) {
          const histories = historyByKey(records, topic);
          for (const key of keys) {
            const row = rows.get(key);
            const last = histories.get(key)?.last;
            if (row === undefined && last !== undefined) lost.push(`${topic} ${key}: deleted in MariaDB, not on the topic`);
            if (row !== undefined && last === undefined) lost.push(`${topic} ${key}: missing on the topic`);
            if (row !== undefined && last !== undefined) {
              const difference = firstDifference(shape, row, last, 'debezium');
              if (difference !== undefined) lost.push(`${topic} ${key}: ${difference}`);
            }
          }
        }
        return lost.length === 0;
      }, 120_000)
      .catch(() => undefined);

    const changed = changes.reduce((sum, change) => sum + change.keys.length, 0);
    const duplicates = countDuplicates(reader.records);
    console.log(
      `connect kill -9: ${changed} rows changed by the trickle, ${reader.records.length} cdc records read ` +
        `(${recordsAtKill} before the kill), ${duplicates} duplicates re-sent after the restart, ${lost.length} changes lost`,
    );
    expect(lost.slice(0, 10)).toEqual([]);
    expect(changed).toBeGreaterThan(500);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
