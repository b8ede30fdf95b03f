/**
 * Integration (needs the local stack: `npm run setup`): row changes in MariaDB arrive on the cdc.*
 * topics as Debezium envelopes with the right op, before and after images, and a delete tombstone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { CdcTopicReader, type CdcRecord } from '../helpers/cdc-topic.js';
import { connectMariaDb, createKafka, uniqueSuffix } from '../helpers/stack.js';

const datasetsTopic = 'cdc.shop.datasets';
const actionsTopic = 'cdc.matomo.matomo_log_link_visit_action';

let shop: Connection;
let matomo: Connection;
let reader: CdcTopicReader;

beforeAll(async () => {
  shop = await connectMariaDb('shop');
  matomo = await connectMariaDb('matomo');
  reader = new CdcTopicReader(createKafka('test-cdc-envelopes'), [datasetsTopic, actionsTopic]);
  await reader.start('now');
});

afterAll(async () => {
  await reader.stop();
  await shop.end();
  await matomo.end();
});

/** The value-carrying records (and tombstones) of one primary key, in topic order. */
function changesOf(records: readonly CdcRecord[], topic: string, keyColumn: string, id: number): CdcRecord[] {
  return records.filter((record) => record.topic === topic && Number(record.key?.[keyColumn]) === id);
}

describe('Debezium CDC from MariaDB into Kafka', () => {
  it('streams insert, update and delete of a dataset as c/u/d envelopes with before/after images and a tombstone', async () => {
    const title = `CDC test dataset ${uniqueSuffix()} 中文标题`;
    const [inserted] = await shop.execute<ResultSetHeader>(
      `INSERT INTO datasets (title, description, tags, industry, price, status, seller) VALUES (?, ?, ?, ?, ?, 'listed', ?)`,
      [title, '测试描述 test description', 'finance,stock', 'finance', '199.90', 'cdc-test-seller'],
    );
    const id = inserted.insertId;
    await shop.execute(`UPDATE datasets SET price = ?, status = 'unlisted' WHERE id = ?`, ['249.00', id]);
    await shop.execute(`DELETE FROM datasets WHERE id = ?`, [id]);

    const changes = await reader.waitUntil(`c, u, d and a tombstone for dataset ${id}`, (records) => {
      const found = changesOf(records, datasetsTopic, 'id', id);
      return found.length >= 4 ? found : undefined;
    });

    const [create, update, remove, tombstone] = changes;
    expect(create?.value).toMatchObject({ op: 'c', before: null, after: { id, title, price: '199.90', status: 'listed', tags: 'finance,stock' } });
    expect(create?.value?.source).toMatchObject({ db: 'shop', table: 'datasets' });
    expect(update?.value).toMatchObject({
      op: 'u',
      before: { id, price: '199.90', status: 'listed' },
      after: { id, price: '249.00', status: 'unlisted' },
    });
    expect(remove?.value).toMatchObject({ op: 'd', before: { id, title, price: '249.00' }, after: null });
    expect(tombstone?.value).toBeNull();
    // All changes of one key land on one partition, so their order is kept.
    expect(new Set(changes.map((change) => change.partition)).size).toBe(1);
  });

  it('streams Matomo link_visit_action rows with the binary visitor id as hex', async () => {
    const visitorHex = 'a1b2c3d4e5f60718';
    const [inserted] = await matomo.execute<ResultSetHeader>(
      `INSERT INTO matomo_log_link_visit_action (idsite, idvisitor, idvisit, server_time, idaction_url, idaction_name, pageview_position)
       VALUES (1, UNHEX(?), ?, UTC_TIMESTAMP(), 11, 12, 1)`,
      [visitorHex, 987_654_321],
    );
    const id = inserted.insertId;
    await matomo.execute(`UPDATE matomo_log_link_visit_action SET time_spent = 42 WHERE idlink_va = ?`, [id]);
    await matomo.execute(`DELETE FROM matomo_log_link_visit_action WHERE idlink_va = ?`, [id]);

    const changes = await reader.waitUntil(`c, u, d for link_visit_action ${id}`, (records) => {
      const found = changesOf(records, actionsTopic, 'idlink_va', id).filter((record) => record.value !== null);
      return found.length >= 3 ? found : undefined;
    });

    expect(changes.map((change) => change.value?.op)).toEqual(['c', 'u', 'd']);
    expect(changes[0]?.value?.after).toMatchObject({ idlink_va: id, idvisit: 987_654_321, idaction_url: 11, idaction_name: 12 });
    expect(String(changes[0]?.value?.after?.['idvisitor']).toLowerCase()).toBe(visitorHex);
    expect(typeof changes[0]?.value?.after?.['server_time']).toBe('number');
    expect(changes[1]?.value).toMatchObject({ before: { time_spent: null }, after: { time_spent: 42 } });
    expect(changes[2]?.value).toMatchObject({ before: { idlink_va: id }, after: null });
  });
});
