/**
 * Integration (needs the local stack: `npm run setup`): row changes in MariaDB arrive on the cdc.*
 * topics as Debezium envelopes with the right op, before and after images, and a delete tombstone,
 * carrying only the columns the consumers read (no personal data: connectors/config column.include.list).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { SourceTable, capturedColumns } from '@streamrec/cdc';
import { CdcTopicReader, type CdcRecord } from '../helpers/cdc-topic.js';
import { connectMariaDb, createKafka, uniqueSuffix } from '../helpers/stack.js';

const datasetsTopic = 'cdc.shop.datasets';
const actionsTopic = 'cdc.matomo.matomo_log_link_visit_action';
const usersTopic = 'cdc.shop.users';
const visitsTopic = 'cdc.matomo.matomo_log_visit';

let shop: Connection;
let matomo: Connection;
let reader: CdcTopicReader;

beforeAll(async () => {
  shop = await connectMariaDb('shop');
  matomo = await connectMariaDb('matomo');
  reader = new CdcTopicReader(createKafka('test-cdc-envelopes'), [datasetsTopic, actionsTopic, usersTopic, visitsTopic]);
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
    await matomo.execute(`UPDATE matomo_log_link_visit_action SET idaction_name = 13, time_spent = 42 WHERE idlink_va = ?`, [id]);
    await matomo.execute(`DELETE FROM matomo_log_link_visit_action WHERE idlink_va = ?`, [id]);

    const changes = await reader.waitUntil(`c, u, d for link_visit_action ${id}`, (records) => {
      const found = changesOf(records, actionsTopic, 'idlink_va', id).filter((record) => record.value !== null);
      return found.length >= 3 ? found : undefined;
    });

    expect(changes.map((change) => change.value?.op)).toEqual(['c', 'u', 'd']);
    expect(changes[0]?.value?.after).toMatchObject({ idlink_va: id, idvisit: 987_654_321, idaction_url: 11, idaction_name: 12 });
    expect(String(changes[0]?.value?.after?.['idvisitor']).toLowerCase()).toBe(visitorHex);
    expect(typeof changes[0]?.value?.after?.['server_time']).toBe('number');
    expect(changes[1]?.value).toMatchObject({ before: { idaction_name: 12 }, after: { idaction_name: 13 } });
    // time_spent is not read by any consumer, so it is not captured.
    expect(changes[1]?.value?.after).not.toHaveProperty('time_spent');
    expect(changes[2]?.value).toMatchObject({ before: { idlink_va: id }, after: null });
  });

  it('a shop user’s email and name, a visit’s IP address, device fingerprint and location never reach the cdc topics: only the columns the consumers read', async () => {
    const suffix = uniqueSuffix();
    const email = `privacy-${suffix}@example.com`;
    const displayName = `Private Person ${suffix}`;
    const [user] = await shop.execute<ResultSetHeader>(`INSERT INTO users (email, display_name, company, industry, country) VALUES (?, ?, 'Secret GmbH', 'finance', 'DE')`, [email, displayName]);
    await shop.execute(`UPDATE users SET display_name = ?, email = ? WHERE id = ?`, [`${displayName} renamed`, `renamed-${email}`, user.insertId]);
    const visitorHex = '0f1e2d3c4b5a6978';
    const [visit] = await matomo.execute<ResultSetHeader>(
      `INSERT INTO matomo_log_visit (idsite, idvisitor, visit_last_action_time, config_id, location_ip, location_city, location_latitude, referer_url, user_id, visit_first_action_time, visit_total_time)
       VALUES (1, UNHEX(?), UTC_TIMESTAMP(), UNHEX('c0ffee00c0ffee00'), UNHEX('c0a80117'), 'Privacyville', 52.520008, 'https://private.example/referrer', ?, UTC_TIMESTAMP(), 0)`,
      [visitorHex, String(user.insertId)],
    );

    const [userCreate, userUpdate] = await reader.waitUntil(`c and u of user ${user.insertId}`, (records) => {
      const found = changesOf(records, usersTopic, 'id', user.insertId);
      return found.length >= 2 ? found : undefined;
    });
    const [visitCreate] = await reader.waitUntil(`c of visit ${visit.insertId}`, (records) => {
      const found = changesOf(records, visitsTopic, 'idvisit', visit.insertId);
      return found.length >= 1 ? found : undefined;
    });

    expect(userCreate?.value?.op).toBe('c');
    expect(Object.keys(userCreate?.value?.after ?? {}).sort()).toEqual([...capturedColumns[SourceTable.ShopUsers]].sort());
    expect(userCreate?.value?.after).toMatchObject({ id: user.insertId, industry: 'finance', country: 'DE' });
    // An update of personal columns alone still arrives (the row changed), with nothing personal in it.
    expect(userUpdate?.value?.op).toBe('u');
    expect(Object.keys(visitCreate?.value?.after ?? {}).sort()).toEqual([...capturedColumns[SourceTable.MatomoVisit]].sort());
    expect(String(visitCreate?.value?.after?.['idvisitor']).toLowerCase()).toBe(visitorHex);
    const bytes = [userCreate, userUpdate, visitCreate].map((record) => JSON.stringify(record)).join('\n');
    for (const secret of [email, displayName, 'Secret GmbH', 'Privacyville', 'private.example', 'c0ffee00', 'c0a80117', 'wKgBFw==', '52.52']) expect(bytes, secret).not.toContain(secret);
  });
});
