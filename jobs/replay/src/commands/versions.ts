import type { Admin } from 'kafkajs';
import type { Redis } from 'ioredis';
import { AppError, ErrorCode, type StateVersion } from '@streamrec/foundation';
import { dropRefusal, switchRefusal } from '../domain/version-rules.js';
import { deleteVersionTopic } from '../adapters/version-topics.js';
import { dropVersion, readActiveVersion, scanKeys, switchActiveVersion, versionOffsets, versionsPresent } from '../adapters/redis-versions.js';

/** `replay status`: the active version, and every version present with its key count and stored offsets. */
export async function runStatus(redis: Redis, pointerKey: string, out: (line: string) => void): Promise<void> {
  const pointer = await redis.get(pointerKey);
  const active = await readActiveVersion(redis, pointerKey);
  out(`active version: ${active}${pointer === null ? ` (${pointerKey} unset: readers default to v1)` : ''}`);
  const versions = await versionsPresent(redis);
  if (versions.size === 0) out('no state versions in Redis');
  for (const [version, keys] of versions) {
    out(`${version}${version === active ? ' (active)' : ''}: ${keys} keys`);
    const fields = new Map<string, { partitions: number; sum: bigint }>();
    for (const byField of (await versionOffsets(redis, version as StateVersion)).values()) {
      for (const [field, offset] of byField) {
        const entry = fields.get(field) ?? { partitions: 0, sum: 0n };
        fields.set(field, { partitions: entry.partitions + 1, sum: entry.sum + offset + 1n });
      }
    }
    for (const [field, { partitions, sum }] of [...fields.entries()].sort(([x], [y]) => x.localeCompare(y))) {
      out(`  ${field}: ${partitions} partitions, ${sum} records up to the stored offsets`);
    }
  }
}

/** `replay switch`: compare-and-set of sr:active-version; a concurrent switch fails with REC_STATE_VERSION_CONFLICT. */
export async function runSwitch(options: { to: StateVersion; expect: StateVersion | undefined }, redis: Redis, pointerKey: string, out: (line: string) => void): Promise<void> {
  const current = await readActiveVersion(redis, pointerKey);
  const offsetKeys = (await scanKeys(redis, `sr:${options.to}:*:offsets`)).length;
  const refusal = switchRefusal(options.to, current, options.expect, offsetKeys);
  if (refusal !== undefined) throw new AppError(ErrorCode.StateVersionConflict, `switch refused: ${refusal}`);
  const expected = options.expect ?? current;
  const { switched, previous } = await switchActiveVersion(redis, pointerKey, options.to, expected);
  if (!switched) throw new AppError(ErrorCode.StateVersionConflict, `switch refused: the active version changed to ${previous} concurrently (expected ${expected})`);
  out(`active version: ${previous} → ${options.to}`);
}

/** `replay drop`: deletes a version's keys; refused for the active version (checked atomically per chunk). */
export async function runDrop(version: StateVersion, redis: Redis, admin: Admin, pointerKey: string, out: (line: string) => void): Promise<void> {
  const refusal = dropRefusal(version, await readActiveVersion(redis, pointerKey));
  if (refusal !== undefined) throw new AppError(ErrorCode.StateVersionConflict, `drop refused: ${refusal}`);
  const deleted = await dropVersion(redis, version, pointerKey);
  if (deleted === undefined) throw new AppError(ErrorCode.StateVersionConflict, `drop stopped: ${version} became the active version`);
  const topic = await deleteVersionTopic(admin, version);
  out(`dropped ${version}: ${deleted} keys deleted${topic === undefined ? '' : `, topic ${topic} deleted`}`);
}
