import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createTopicsReady, waitForTopicLeaders, whileTopicSettles } from './create-topics.js';

type Metadata = Awaited<ReturnType<Admin['fetchTopicMetadata']>>;
const protocolError = (type: string): Error => Object.assign(new Error(type), { type });
const partition = (id: number, leader: number) => ({ partitionId: id, leader, partitionErrorCode: 0, replicas: [1], isr: [1], offlineReplicas: [] });

/** An admin whose metadata answers are `answers` in turn (an Error is thrown), the last one repeated. */
function fakeAdmin(answers: readonly (Metadata | Error)[]): { admin: Admin; calls: () => number; created: unknown[] } {
  let calls = 0;
  const created: unknown[] = [];
  const admin = {
    createTopics: (options: unknown) => {
      created.push(options);
      return Promise.resolve(true);
    },
    fetchTopicMetadata: () => {
      const answer = answers[Math.min(calls, answers.length - 1)]!;
      calls += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  } as unknown as Admin;
  return { admin, calls: () => calls, created };
}

const ready: Metadata = { topics: [{ name: 't', partitions: [partition(0, 1), partition(1, 1)] }] };

describe('creating topics and waiting for their leaders', () => {
  it('waits through the errors of a topic a KRaft broker has just created, then returns', async () => {
    const noLeader: Metadata = { topics: [{ name: 't', partitions: [partition(0, 1), partition(1, -1)] }] };
    const { admin, calls, created } = fakeAdmin([protocolError('UNKNOWN_TOPIC_OR_PARTITION'), { topics: [] }, protocolError('LEADER_NOT_AVAILABLE'), noLeader, ready]);
    expect(await createTopicsReady(admin, { topics: [{ topic: 't', numPartitions: 2 }] })).toBe(true);
    expect(calls()).toBe(5);
    // kafkajs's own wait (which gives up on UNKNOWN_TOPIC_OR_PARTITION) is not used.
    expect(created).toEqual([{ topics: [{ topic: 't', numPartitions: 2 }], timeout: undefined, waitForLeaders: false }]);
  });

  it('accepts the settling error when a kafkajs retrier wraps it', async () => {
    const wrapped = Object.assign(new Error('retries exceeded'), { originalError: protocolError('UNKNOWN_TOPIC_OR_PARTITION') });
    const { admin, calls } = fakeAdmin([wrapped, ready]);
    await waitForTopicLeaders(admin, ['t']);
    expect(calls()).toBe(2);
  });

  it('fails at once on any other error, and with the last reason after the wait', async () => {
    await expect(waitForTopicLeaders(fakeAdmin([protocolError('TOPIC_AUTHORIZATION_FAILED')]).admin, ['t'])).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    await expect(waitForTopicLeaders(fakeAdmin([protocolError('UNKNOWN_TOPIC_OR_PARTITION')]).admin, ['t'], 250)).rejects.toThrow(
      'topics t have no leader for every partition after 250 ms (UNKNOWN_TOPIC_OR_PARTITION)',
    );
  });

  it('reads again while a broker behind the others does not know the topic yet, and gives up on any other error', async () => {
    const { admin, calls } = fakeAdmin([protocolError('UNKNOWN_TOPIC_OR_PARTITION'), protocolError('UNKNOWN_TOPIC_OR_PARTITION'), ready]);
    expect(await whileTopicSettles(() => admin.fetchTopicMetadata({ topics: ['t'] }))).toEqual(ready);
    expect(calls()).toBe(3);
    const refused = fakeAdmin([protocolError('TOPIC_AUTHORIZATION_FAILED'), ready]);
    await expect(whileTopicSettles(() => refused.admin.fetchTopicMetadata({ topics: ['t'] }))).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(refused.calls()).toBe(1);
    const lagging = fakeAdmin([protocolError('UNKNOWN_TOPIC_OR_PARTITION')]);
    await expect(whileTopicSettles(() => lagging.admin.fetchTopicMetadata({ topics: ['t'] }), 250)).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(lagging.calls()).toBeGreaterThan(1);
  });
});
