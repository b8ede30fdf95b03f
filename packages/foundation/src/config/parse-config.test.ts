import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './parse-config.js';
import { ErrorCode, isAppError } from '../errors.js';

const schema = z.object({ port: z.number().int().positive(), nested: z.object({ url: z.url() }) });

describe('parseConfig', () => {
  it('returns a deeply frozen value', () => {
    const config = parseConfig(schema, { port: 1, nested: { url: 'http://x' } }, 'test');
    expect(Object.isFrozen(config.nested)).toBe(true);
  });

  it('fails fast listing every violation with its path', () => {
    let caught: unknown;
    try {
      parseConfig(schema, { port: -1, nested: { url: 'nope' } }, 'api');
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, ErrorCode.ConfigInvalid)).toBe(true);
    expect((caught as Error).message).toMatch(/invalid configuration for api/);
    expect((caught as Error).message).toMatch(/port:/);
    expect((caught as Error).message).toMatch(/nested\.url:/);
  });
});
