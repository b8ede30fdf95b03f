import { describe, expect, it } from 'vitest';
import { redisConfigInput, redisConfigSchema, redisEnvironmentVariables } from './redis-config.js';

describe('redisConfigInput', () => {
  const stack = {
    STREAMREC_HOST: '10.0.0.5',
    STREAMREC_REDIS_PORT: '6380',
    STREAMREC_REDIS_PROCESSOR_PASSWORD: 'processor-secret',
    STREAMREC_REDIS_API_PASSWORD: 'api-secret',
    STREAMREC_REDIS_ADMIN_PASSWORD: 'admin-secret',
  };

  it("gives each role its own ACL user and password, never another role's", () => {
    expect(redisConfigInput(stack, 'processor')).toEqual({ host: '10.0.0.5', port: 6380, username: 'streamrec-processor', password: 'processor-secret' });
    expect(redisConfigInput(stack, 'api')).toEqual({ host: '10.0.0.5', port: 6380, username: 'streamrec-api', password: 'api-secret' });
    expect(redisConfigInput(stack, 'admin')).toMatchObject({ username: 'streamrec-admin', password: 'admin-secret' });
  });

  it('sends no credentials for a role without a password (a Redis without ACL users)', () => {
    expect(redisConfigInput({}, 'monitor')).toEqual({ host: '127.0.0.1', port: 16_379, username: undefined, password: undefined });
    expect(redisConfigInput({ ...stack, STREAMREC_REDIS_MONITOR_PASSWORD: '' }, 'monitor')).toMatchObject({ username: undefined, password: undefined });
  });

  it('connects as a named user when STREAMREC_REDIS_USER is set, and STREAMREC_REDIS_HOST moves only Redis', () => {
    const input = redisConfigInput({ ...stack, STREAMREC_REDIS_USER: 'ops', STREAMREC_REDIS_PASSWORD: 'ops-secret', STREAMREC_REDIS_HOST: 'redis.internal' }, 'processor');
    expect(input).toEqual({ host: 'redis.internal', port: 6380, username: 'ops', password: 'ops-secret' });
  });

  it('is what the schema accepts; a bad port is refused', () => {
    expect(redisConfigSchema.parse(redisConfigInput(stack, 'api'))).toMatchObject({ port: 6380 });
    expect(redisConfigSchema.safeParse(redisConfigInput({ STREAMREC_REDIS_PORT: 'six' }, 'api')).success).toBe(false);
  });

  it('documents the role password variable for --help', () => {
    expect(Object.keys(redisEnvironmentVariables('api'))).toContain('STREAMREC_REDIS_API_PASSWORD');
  });
});
