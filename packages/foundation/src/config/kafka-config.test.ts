import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { kafkaClientOptions, kafkaConfigInput, kafkaConfigSchema, kafkaEnvironmentVariables, kafkaUserOf, loadKafkaConfig, type KafkaRole } from './kafka-config.js';

const roles: readonly KafkaRole[] = ['processor', 'api', 'model', 'admin'];

describe('kafkaConfigInput', () => {
  const stack = {
    STREAMREC_HOST: '10.0.0.5',
    STREAMREC_KAFKA_PORT: '9093',
    STREAMREC_KAFKA_PROCESSOR_PASSWORD: 'processor-secret',
    STREAMREC_KAFKA_API_PASSWORD: 'api-secret',
    STREAMREC_KAFKA_MODEL_PASSWORD: 'model-secret',
    STREAMREC_KAFKA_ADMIN_PASSWORD: 'admin-secret',
  };

  it("gives each role its own SCRAM user and password, never another role's", () => {
    expect(kafkaConfigInput(stack, 'processor')).toEqual({ brokers: ['10.0.0.5:9093'], username: 'streamrec-processor', password: 'processor-secret' });
    expect(kafkaConfigInput(stack, 'api')).toEqual({ brokers: ['10.0.0.5:9093'], username: 'streamrec-api', password: 'api-secret' });
    expect(kafkaConfigInput(stack, 'model')).toMatchObject({ username: 'streamrec-model', password: 'model-secret' });
    expect(kafkaConfigInput(stack, 'admin')).toMatchObject({ username: 'streamrec-admin', password: 'admin-secret' });
  });

  it.each(roles)("reads only %s's password variable: with only another role's set, it sends no credentials", (role) => {
    for (const other of roles) {
      const only = { [`STREAMREC_KAFKA_${other.toUpperCase()}_PASSWORD`]: `${other}-secret` };
      const input = kafkaConfigInput(only, role);
      if (other === role) expect(input).toMatchObject({ username: kafkaUserOf(role), password: `${role}-secret` });
      else expect(input).toMatchObject({ username: undefined, password: undefined });
    }
  });

  it('sends no credentials without a password (a PLAINTEXT broker), an empty one included', () => {
    expect(kafkaConfigInput({}, 'processor')).toEqual({ brokers: ['127.0.0.1:19092'], username: undefined, password: undefined });
    expect(kafkaConfigInput({ STREAMREC_KAFKA_API_PASSWORD: '' }, 'api')).toMatchObject({ username: undefined, password: undefined });
    expect(kafkaClientOptions(loadKafkaConfig({}, 'admin', 'test'))).toEqual({ brokers: ['127.0.0.1:19092'] });
  });

  it('connects as a named user when STREAMREC_KAFKA_USER is set, whatever the role', () => {
    const named = { ...stack, STREAMREC_KAFKA_USER: 'ops', STREAMREC_KAFKA_PASSWORD: 'ops-secret' };
    for (const role of roles) expect(kafkaConfigInput(named, role)).toMatchObject({ username: 'ops', password: 'ops-secret' });
  });

  it('refuses a user without its password, and a password without its user, naming the variables', () => {
    const userOnly = (): unknown => loadKafkaConfig({ ...stack, STREAMREC_KAFKA_USER: 'ops' }, 'admin', 'erase');
    expect(userOnly).toThrow(/invalid configuration for erase:\n {2}- password: missing: .*STREAMREC_KAFKA_PASSWORD with STREAMREC_KAFKA_USER/);
    expect(userOnly).toThrow(expect.objectContaining({ code: ErrorCode.ConfigInvalid }));
    // Not silently replaced by the role's credentials.
    expect(() => loadKafkaConfig({ ...stack, STREAMREC_KAFKA_PASSWORD: 'ops-secret' }, 'admin', 'erase')).toThrow(/username: missing: .*STREAMREC_KAFKA_USER/);
    expect(kafkaConfigSchema.safeParse({ brokers: ['a:1'], password: 'p' }).success).toBe(false);
  });

  it('takes the brokers from STREAMREC_KAFKA_BROKERS (trimmed), else host and port; empty counts as unset', () => {
    expect(kafkaConfigInput({ ...stack, STREAMREC_KAFKA_BROKERS: 'a:1, b:2 ,c:3' }, 'api').brokers).toEqual(['a:1', 'b:2', 'c:3']);
    expect(kafkaConfigInput({ STREAMREC_KAFKA_BROKERS: 'kafka:9092' }, 'api').brokers).toEqual(['kafka:9092']);
    expect(kafkaConfigInput({ STREAMREC_HOST: 'stack.local' }, 'api').brokers).toEqual(['stack.local:19092']);
    expect(kafkaConfigInput({ STREAMREC_KAFKA_BROKERS: '', STREAMREC_HOST: '', STREAMREC_KAFKA_PORT: '' }, 'api').brokers).toEqual(['127.0.0.1:19092']);
  });

  it('is what the schema accepts; an empty broker or an unknown key is refused', () => {
    expect(loadKafkaConfig(stack, 'model', 'retrain')).toEqual({ brokers: ['10.0.0.5:9093'], username: 'streamrec-model', password: 'model-secret' });
    expect(() => loadKafkaConfig({ STREAMREC_KAFKA_BROKERS: 'a:1,' }, 'api', 'api')).toThrow(/brokers\.1:/);
    expect(kafkaConfigSchema.safeParse({ brokers: ['a:1'], sasl: {} }).success).toBe(false);
  });

  it('documents the role password variable, and only that one, for --help', () => {
    const names = Object.keys(kafkaEnvironmentVariables('api'));
    expect(names).toEqual(expect.arrayContaining(['STREAMREC_KAFKA_BROKERS', 'STREAMREC_KAFKA_PORT', 'STREAMREC_KAFKA_API_PASSWORD', 'STREAMREC_KAFKA_USER']));
    expect(names.filter((name) => /^STREAMREC_KAFKA_[A-Z]+_PASSWORD$/.test(name))).toEqual(['STREAMREC_KAFKA_API_PASSWORD']);
  });
});

describe('kafkaClientOptions', () => {
  it('adds SASL/SCRAM-SHA-512 with the credentials, and copies the brokers', () => {
    const config = loadKafkaConfig({ STREAMREC_KAFKA_BROKERS: 'a:1,b:2', STREAMREC_KAFKA_PROCESSOR_PASSWORD: 'secret' }, 'processor', 'test');
    const options = kafkaClientOptions(config);
    expect(options).toEqual({ brokers: ['a:1', 'b:2'], sasl: { mechanism: 'scram-sha-512', username: 'streamrec-processor', password: 'secret' } });
    expect(options.brokers).not.toBe(config.brokers);
  });

  it('leaves SASL out without credentials', () => {
    const options = kafkaClientOptions({ brokers: ['a:1'] });
    expect(options).toEqual({ brokers: ['a:1'] });
    expect('sasl' in options).toBe(false);
  });

  it('refuses a hand-built config with half of the credentials', () => {
    expect(() => kafkaClientOptions({ brokers: ['a:1'], username: 'ops' })).toThrow(/STREAMREC_KAFKA_PASSWORD/);
    expect(() => kafkaClientOptions({ brokers: ['a:1'], password: 'secret' })).toThrow(/STREAMREC_KAFKA_USER/);
  });
});
