/**
 * An install upgrading to the signal table (issue 15, item 5): its connector was created when it did not
 * capture shop.debezium_signal. Debezium keeps only captured tables' DDL in its schema history
 * (`store.only.captured.tables.ddl`), so it knows no schema for the new table, and the first signal
 * inserted fails its task ("whose schema isn't known to this connector"). `npm run connectors -- apply`
 * with the new config recovers the history first (snapshot.mode=recovery: structure only), then applies
 * it; afterwards a signal is read and published, and the connector keeps running.
 *
 * The connector is one of the test's own (a `cdc.upgrade…` prefix, its own history topic, no data
 * snapshot), beside the stack's; both read the test's `log` signal, which only writes a log line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalTable } from '@streamrec/cdc';
import { runCommand } from '../helpers/run-command.js';
import { connectMariaDb, connectUrl, createKafka, repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

const suffix = uniqueSuffix().replace(/[^a-z0-9]/gi, '').toLowerCase();
const name = `upgrade-${suffix}`;
// Under cdc. (Connect's ACLs: it writes cdc.* topics only), beside the real cdc.shop.* topics.
const prefix = `cdc.upgrade${suffix}`;
const historyTopic = `_schema-history.${prefix}`;
const signalTopic = `${prefix}.${signalTable}`;
const probe = `upgrade-probe-${suffix}`.slice(0, 64);
const kafka = createKafka('test-cdc-connector-upgrade');
const dir = mkdtempSync(join(tmpdir(), 'streamrec-upgrade-'));
let shop: Connection;

const canonical = (JSON.parse(readFileSync(join(repoRoot, 'connectors', 'config', 'cdc-mariadb.json'), 'utf8')) as { config: Record<string, string> }).config;
const escapedSignalTable = signalTable.replace('.', '\\.');

/** The project's connector config under the test's names: as released now, or as it was before the signal table. */
function connectorFile(file: string, withSignalTable: boolean): string {
  const config: Record<string, string> = {
    ...canonical,
    'topic.prefix': prefix,
    'database.server.id': String(300_000 + Math.floor(Math.random() * 600_000)),
    'schema.history.internal.kafka.topic': historyTopic,
    'snapshot.mode': 'no_data',
  };
  if (!withSignalTable) {
    delete config['signal.data.collection'];
    delete config['signal.enabled.channels'];
    config['table.include.list'] = (config['table.include.list'] ?? '').split(',').filter((table) => table !== escapedSignalTable).join(',');
  }
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ name, config }));
  return path;
}

async function taskStates(): Promise<string[]> {
  const status = (await (await fetch(`${connectUrl}/connectors/${name}/status`)).json()) as { tasks?: { state: string }[] };
  return (status.tasks ?? []).map((task) => task.state);
}

async function signalRecords(): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(signalTopic)) return 0;
    return (await admin.fetchTopicOffsets(signalTopic)).reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  shop = await connectMariaDb('shop');
});

afterAll(async () => {
  await fetch(`${connectUrl}/connectors/${name}`, { method: 'DELETE' }).catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  const ours = existing.filter((topic) => topic.startsWith(`${prefix}.`) || topic === historyTopic || topic === `_heartbeat.${prefix}`);
  if (ours.length > 0) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
  await admin.disconnect();
  await shop.execute(`DELETE FROM debezium_signal WHERE id = ?`, [probe]);
  await shop.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('a connector created before the signal table, upgraded by npm run connectors -- apply', () => {
  it('recovers its schema history, then reads a signal and keeps running', async () => {
    const created = await runCommand(['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'apply', connectorFile('before.json', false), '--timeout', '120'], 180_000);
    expect(created.code, created.output.slice(-3000)).toBe(0);

    const upgraded = await runCommand(['npx', '--no-install', 'tsx', 'connectors/src/cli.ts', 'apply', connectorFile('after.json', true), '--timeout', '120'], 300_000);
    expect(upgraded.code, upgraded.output.slice(-3000)).toBe(0);
    expect(upgraded.output).toContain('schema history recovered');
    const config = (await (await fetch(`${connectUrl}/connectors/${name}/config`)).json()) as Record<string, string>;
    expect(config['snapshot.mode']).toBe('no_data');
    expect(config['signal.data.collection']).toBe(signalTable);

    await shop.execute(`INSERT INTO debezium_signal (id, type, data) VALUES (?, 'log', ?)`, [probe, JSON.stringify({ message: `streamrec upgrade test ${suffix}` })]);
    await waitFor(async () => (await signalRecords()) >= 1, { timeoutMs: 60_000, intervalMs: 500, description: `the signal row published to ${signalTopic}` });
    expect(await taskStates()).toEqual(['RUNNING']);
  }, 600_000);
});
