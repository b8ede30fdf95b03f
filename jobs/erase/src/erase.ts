import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import { clickHouseDateTime } from '@streamrec/foundation';
import { addToErasureList, erasureToken } from '@streamrec/streams-common/adapters';
import { forgetInApi } from './adapters/api-erasure.js';
import { clickHouseErasure } from './adapters/clickhouse-erasure.js';
import { waitForConsumers, writeUserTombstone } from './adapters/kafka-erasure.js';
import { linkedVisitors, sweepRedis } from './adapters/redis-erasure.js';
import type { EraseCommand } from './cli-args.js';
import type { EraseConfig } from './config.js';
import { erasureSubjects } from './domain/erasure-subjects.js';

export interface EraseClients {
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly clickhouse: ClickHouseClient;
}

export interface EraseOutcome {
  readonly requestId: string;
  readonly complete: boolean;
  /** What was removed (or, in a dry run, found) per store. */
  readonly removed: ReadonlyMap<string, number>;
  /** Identifiers the final search still found. */
  readonly remaining: number;
  /** Why the run is incomplete, one line each. */
  readonly problems: readonly string[];
}

const STEPS = 7;

/** The erasure of one shop user (cli-args.ts HELP describes the steps); `say` prints progress lines. */
export async function eraseUser(command: EraseCommand, config: EraseConfig, clients: EraseClients, say: (line: string) => void): Promise<EraseOutcome> {
  const requestId = randomUUID();
  const requestedAt = Date.now();
  const step = (n: number, text: string): void => say(`[${n}/${STEPS}] ${text}`);
  const removed = new Map<string, number>();
  const problems: string[] = [];
  const subjects = erasureSubjects(command.user, await linkedVisitors(clients.redis, command.user));
  const mode = command.dryRun ? ' (dry run: nothing is changed)' : '';
  say(`erase: user ${command.user}, request ${requestId}: ${subjects.visitors.length} linked visitor(s)${mode}`);

  if (command.dryRun) step(1, 'erasure list: not written');
  else {
    const generation = await addToErasureList(clients.redis, config.pseudonymKey, subjects.subjects, { requestId, erasedAtMs: requestedAt });
    step(1, `erasure list: ${subjects.subjects.length} subject(s) listed (generation ${generation}); normalize drops their rows from now on`);
  }

  if (command.dryRun) step(2, `${config.usersTopic}: no tombstone written`);
  else {
    const at = await writeUserTombstone(clients.kafka, config.usersTopic, command.user);
    removed.set(config.usersTopic, 1);
    step(2, `${config.usersTopic}: tombstone at partition ${at.partition} offset ${at.offset}`);
  }

  const admin = clients.kafka.admin();
  await admin.connect();
  try {
    const waitStarted = Date.now();
    const lagging = await waitForConsumers(admin, { rounds: 3, timeoutMs: command.waitMs, progress: (line) => say(`      ${line}`) });
    if (lagging.length === 0) step(3, `processors: caught up with what Kafka held (${((Date.now() - waitStarted) / 1_000).toFixed(1)} s)`);
    else {
      const behind = lagging.map((entry) => `${entry.group} ${entry.behind} behind on ${entry.topic}`).join(', ');
      problems.push(`processors still behind after --wait: ${behind}; run the erasure again once they caught up`);
      step(3, `processors: still behind (${behind}); sweeping anyway`);
    }
  } finally {
    await admin.disconnect();
  }

  const sweep = await sweepRedis(clients.redis, subjects, { dryRun: command.dryRun, progress: () => undefined });
  removed.set('redis_keys', sweep.keys).set('redis_members', sweep.members).set('normalize_fields', sweep.normalizeFields);
  step(4, `redis: ${sweep.keys} key(s), ${sweep.members} member(s), ${sweep.normalizeFields} normalize field(s) ${command.dryRun ? 'found' : 'removed'} (${sweep.scanned} keys visited)`);

  const warehouse = clickHouseErasure(clients.clickhouse, config.clickhouse.database);
  const rows = await warehouse.count(subjects);
  for (const [table, count] of rows) removed.set(`clickhouse.${table.split('.')[1] ?? table}`, count);
  const summary = [...rows].map(([table, count]) => `${table.split('.')[1] ?? table} ${count}`).join(', ');
  if (command.dryRun) step(5, `clickhouse: rows found: ${summary}`);
  else {
    await warehouse.erase(subjects, command.waitMs, (line) => say(`      ${line}`));
    step(5, `clickhouse: rows deleted: ${summary}`);
  }

  if (command.dryRun) step(6, 'api: not asked');
  else if (config.apiAdminKey === undefined) {
    problems.push('api: no admin key (STREAMREC_API_ADMIN_KEY): the instances still hold their last answers for the user');
    step(6, 'api: skipped, no admin key');
  } else {
    let forgotten = 0;
    for (const url of config.apiOpsUrls) {
      try {
        forgotten += await forgetInApi(url, config.apiAdminKey, subjects.subjects);
      } catch (error) {
        problems.push(`api: ${error instanceof Error ? error.message : String(error)} (an instance that is down forgets nothing: run the erasure again when it is up)`);
      }
    }
    removed.set('api_last_answers', forgotten);
    step(6, `api: ${forgotten} last answer(s) forgotten on ${config.apiOpsUrls.length} instance(s)`);
  }

  let remaining = 0;
  if (!command.dryRun) {
    const left = await sweepRedis(clients.redis, subjects, { dryRun: true });
    const leftRows = [...(await warehouse.count(subjects)).values()].reduce((sum, count) => sum + count, 0);
    remaining = left.keys + left.members + left.normalizeFields + leftRows;
    if (remaining > 0) problems.push(`still found after the erasure: ${left.keys} Redis key(s), ${left.members} member(s), ${left.normalizeFields} normalize field(s), ${leftRows} ClickHouse row(s); run it again`);
    step(7, remaining === 0 ? 'search: nothing of the user is left in Redis or ClickHouse' : `search: ${remaining} identifier(s) still found`);
  } else step(7, 'search: skipped in a dry run');

  const complete = problems.length === 0;
  await warehouse.audit({
    request_id: requestId,
    subject_token: erasureToken(config.pseudonymKey, command.user),
    requested_at: clickHouseDateTime(requestedAt),
    finished_at: clickHouseDateTime(Date.now()),
    operator: command.operator,
    ticket: command.ticket,
    dry_run: command.dryRun ? 1 : 0,
    outcome: complete ? 'complete' : 'incomplete',
    visitors: subjects.visitors.length,
    'removed.store': [...removed.keys()],
    'removed.count': [...removed.values()],
    remaining,
  });
  say(`audit: streamrec.erasures request ${requestId}, outcome ${complete ? 'complete' : 'incomplete'}`);
  return { requestId, complete, removed, remaining, problems };
}
