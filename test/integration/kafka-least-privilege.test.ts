/**
 * Kafka least privilege on the local stack (issue 15, item 10): every client logs in with SASL/SCRAM as its
 * role's user, and each role is refused outside its ACLs (infra/kafka/acls.sh). Nothing here writes to a
 * topic the system reads: every allowed write goes to a topic the test makes and deletes, and every refused
 * one is refused before a record is stored. Fails when a listener lets anyone in without a login, when a
 * password is shared, or when a grant is widened (to cdc.*, to topic creation, to another role's groups).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClientOptions, loadKafkaConfig, type KafkaRole } from '@streamrec/foundation';
import { createKafka, kafkaBrokers, stackEnv } from '../helpers/stack.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

type Role = KafkaRole | 'connect';
const brokers = kafkaBrokers.join(',');
const closers: (() => Promise<void>)[] = [];

function kafkaAs(role: Role | 'anonymous', password?: string): Kafka {
  const env: Record<string, string | undefined> = { ...stackEnv, STREAMREC_KAFKA_BROKERS: brokers };
  if (role === 'anonymous') {
    for (const name of Object.keys(env)) if (name.startsWith('STREAMREC_KAFKA_') && name.endsWith('PASSWORD')) delete env[name];
  } else {
    env['STREAMREC_KAFKA_USER'] = `streamrec-${role}`;
    env['STREAMREC_KAFKA_PASSWORD'] = password ?? stackEnv[`STREAMREC_KAFKA_${role.toUpperCase()}_PASSWORD`];
  }
  const config = loadKafkaConfig(env, 'admin', `test Kafka (${role})`);
  return new Kafka({ clientId: `least-privilege-${role}`, ...kafkaClientOptions(config), logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 1, initialRetryTime: 100 } });
}

async function adminOf(role: Role | 'anonymous', password?: string): Promise<Admin> {
  const admin = kafkaAs(role, password).admin();
  closers.push(() => admin.disconnect());
  await admin.connect();
  return admin;
}

async function producerOf(role: Role): Promise<Producer> {
  const producer = kafkaAs(role).producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  closers.push(() => producer.disconnect());
  await producer.connect();
  return producer;
}

/** Reads one batch of `topic` as `role` in `groupId`; resolves with the error that stopped it, if any. */
async function consumeAs(role: Role, topic: string, groupId: string): Promise<unknown> {
  const consumer: Consumer = kafkaAs(role).consumer({ groupId, retry: { retries: 0 }, maxWaitTimeInMs: 100 });
  closers.push(() => consumer.disconnect());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)));
    const joined = new Promise<undefined>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve(undefined)));
    await consumer.run({ eachMessage: () => Promise.resolve() });
    return await Promise.race([crashed, joined]);
  } catch (error) {
    return error;
  }
}

const scratch = `least-privilege.${randomUUID().slice(0, 8)}`;
const scratchTopics = [`events.${scratch}`, `dlq.${scratch}`, `models.${scratch}`];
const createdByTests = [`repartition.${scratch}`];
const admin = createKafka('least-privilege-admin').admin();

beforeAll(async () => {
  await admin.connect();
  await createTopicsReady(admin, { topics: scratchTopics.map((topic) => ({ topic, numPartitions: 1 })) });
});

afterAll(async () => {
  for (const close of closers.splice(0)) await close().catch(() => undefined);
  await admin.deleteTopics({ topics: [...scratchTopics, ...createdByTests] }).catch(() => undefined);
  await admin.disconnect();
});

const authorizationFailed = /not authorized|authorization failed|AUTHORIZATION_FAILED/i;

describe('Kafka: SASL/SCRAM users per role, ACLs per principal', () => {
  it('nobody gets in without a login or with a wrong password, and every role has a password of its own', async () => {
    // Without SASL the broker answers only ApiVersions, then drops the connection at the first real request.
    const anonymous: Admin | Error = await adminOf('anonymous').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (!(anonymous instanceof Error)) await expect(anonymous.listTopics()).rejects.toThrow();
    await expect(adminOf('processor', 'not-the-password')).rejects.toThrow(/SASL|authentication/i);
    await expect(adminOf('admin', stackEnv['STREAMREC_KAFKA_PROCESSOR_PASSWORD'])).rejects.toThrow(/SASL|authentication/i);
    const passwords = (['admin', 'processor', 'api', 'model', 'connect', 'broker'] as const).map((role) => stackEnv[`STREAMREC_KAFKA_${role.toUpperCase()}_PASSWORD`]);
    expect(passwords.every((password) => password !== undefined && password.length >= 16)).toBe(true);
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('a processor writes events and dead letters, but never a CDC topic, a model, or a topic of its own making', async () => {
    const producer = await producerOf('processor');
    await producer.send({ topic: `events.${scratch}`, messages: [{ key: 'k', value: 'allowed' }] });
    await producer.send({ topic: `dlq.${scratch}`, messages: [{ key: 'k', value: 'allowed' }] });
    await expect(producer.send({ topic: 'cdc.shop.users', messages: [{ key: 'k', value: 'forged change' }] })).rejects.toThrow(authorizationFailed);
    await expect(producer.send({ topic: `models.${scratch}`, messages: [{ key: 'k', value: 'forged model' }] })).rejects.toThrow(authorizationFailed);
    const processorAdmin = await adminOf('processor');
    await expect(processorAdmin.createTopics({ topics: [{ topic: `events.${scratch}-new` }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'TOPIC_AUTHORIZATION_FAILED' })] });
    // Its own internal topics it may create (a replay's new state version gets a new repartition topic).
    expect(await createTopicsReady(processorAdmin, { topics: [{ topic: `repartition.${scratch}`, numPartitions: 1 }] })).toBe(true);
    await expect(processorAdmin.deleteTopics({ topics: [`events.${scratch}`] })).rejects.toThrow(authorizationFailed);
    expect(await consumeAs('processor', `events.${scratch}`, `features-${scratch}`)).toBeUndefined();
    // The broker answers FindCoordinator for a group the principal may not describe with
    // GROUP_AUTHORIZATION_FAILED, which kafkajs reports as "no coordinator" (the same consumer joins its own group above).
    expect(await consumeAs('processor', `events.${scratch}`, `streamrec-api-${scratch}`)).toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
  });

  it('the API writes only interactions and exposures and reads no CDC topic', async () => {
    const producer = await producerOf('api');
    await expect(producer.send({ topic: `events.${scratch}`, messages: [{ key: 'k', value: 'x' }] })).rejects.toThrow(authorizationFailed);
    await expect(producer.send({ topic: 'models.published.v1', messages: [{ key: 'k', value: 'forged model' }] })).rejects.toThrow(authorizationFailed);
    expect(await consumeAs('api', 'cdc.shop.users', `streamrec-api-${scratch}`)).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    const apiAdmin = await adminOf('api');
    expect((await apiAdmin.fetchTopicOffsets('models.published.v1')).length).toBeGreaterThan(0);
    await expect(apiAdmin.fetchTopicOffsets('cdc.shop.users')).rejects.toThrow(authorizationFailed);
  });

  it('the model publisher writes models.* only; Connect writes cdc.* and reads none of the system topics', async () => {
    const model = await producerOf('model');
    await model.send({ topic: `models.${scratch}`, messages: [{ key: 'k', value: 'allowed' }] });
    await expect(model.send({ topic: `events.${scratch}`, messages: [{ key: 'k', value: 'x' }] })).rejects.toThrow(authorizationFailed);
    const connect = await producerOf('connect');
    await expect(connect.send({ topic: `events.${scratch}`, messages: [{ key: 'k', value: 'x' }] })).rejects.toThrow(authorizationFailed);
    expect(await consumeAs('connect', 'events.interactions.v1', `streamrec-connect-${scratch}`)).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
  });

  it('the admin may do everything (topics, groups): operators and tests act as it', async () => {
    const offsets = await admin.fetchTopicOffsets(`events.${scratch}`);
    expect(offsets.map((offset) => offset.high)).toEqual(['1']);
    expect(await admin.fetchTopicOffsets(`models.${scratch}`)).toEqual([expect.objectContaining({ high: '1' })]);
  });
});
