import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { loadCooccurrenceConfig } from './config.js';

describe('the cooccurrence config', () => {
  it('defaults to the local stack, state version v1, metrics on 19103 and a frozen result', () => {
    const config = loadCooccurrenceConfig({ STREAMREC_HOST: '127.0.0.1' });
    expect(config).toMatchObject({ stateVersion: 'v1', groupVersion: '1', startFrom: 'earliest', metrics: { port: 19_103 }, topics: { interactions: 'events.interactions.v1' } });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast listing every violation', () => {
    let caught: unknown;
    try {
      loadCooccurrenceConfig({ STREAMREC_COOCCURRENCE_STATE_VERSION: 'x', STREAMREC_COOCCURRENCE_START_FROM: 'middle', STREAMREC_COOCCURRENCE_PARAMS: '{"windowItems":0}' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: ErrorCode.ConfigInvalid });
    const message = (caught as Error).message;
    for (const path of ['stateVersion', 'startFrom', 'windowItems']) expect(message).toContain(path);
  });
});
