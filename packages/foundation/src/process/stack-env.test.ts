import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackEnv, parseEnvText } from './stack-env.js';

describe('parseEnvText', () => {
  it('reads KEY=VALUE lines, skipping comments and blanks, unquoting values', () => {
    expect(parseEnvText('# c\n\nA=1\nexport B="two words"\nC=\'x\'\nnot a line\n')).toEqual({ A: '1', B: 'two words', C: 'x' });
  });
});

describe('loadStackEnv', () => {
  it('merges stack.env, secrets.env and STREAMREC_* overrides, in that order', () => {
    const root = mkdtempSync(join(tmpdir(), 'stack-env-'));
    mkdirSync(join(root, 'infra', 'local'), { recursive: true });
    mkdirSync(join(root, '.stack'));
    writeFileSync(join(root, 'infra', 'local', 'stack.env'), 'STREAMREC_REDIS_PORT=16379\nSTREAMREC_HOST=127.0.0.1\n');
    writeFileSync(join(root, '.stack', 'secrets.env'), 'STREAMREC_CDC_PASSWORD=s3cret\n');
    const env = loadStackEnv({ STREAMREC_REDIS_PORT: '6380', PATH: '/bin' }, root);
    expect(env).toEqual({ STREAMREC_REDIS_PORT: '6380', STREAMREC_HOST: '127.0.0.1', STREAMREC_CDC_PASSWORD: 's3cret' });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('reads the repository stack.env by default', () => {
    expect(loadStackEnv({})['STREAMREC_KAFKA_PORT']).toMatch(/^\d+$/);
  });
});
