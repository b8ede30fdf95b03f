import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { loadCooccurrenceConfig } from './config.js';

describe('the cooccurrence config', () => {
  it('defaults to the local stack, state version v1, metrics on 19103 and a frozen result', () => {
    const config = loadCooccurrenceConfig({ STREAMREC_HOST: '127.0.0.1' });
    expect(config).toMatchObject({ stateVersion: 'v1', groupVersion: '1', startFrom: 'earliest', metrics: { port: 19_103 }, topics: { interactions: 'events.interactions.v1' } });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('commits pair increments to events.cooccurrence.v1 only for the live interactions topic, unless told otherwise', () => {
    expect(loadCooccurrenceConfig({}).topics.pairs).toBe('events.cooccurrence.v1');
    expect(loadCooccurrenceConfig({ STREAMREC_COOCCURRENCE_TOPICS: '{"interactions":"test.interactions"}' }).topics.pairs).toBeNull();
    expect(loadCooccurrenceConfig({ STREAMREC_COOCCURRENCE_TOPICS: '{"interactions":"test.interactions","pairs":"test.pairs"}' }).topics.pairs).toBe('test.pairs');
    expect(loadCooccurrenceConfig({ STREAMREC_COOCCURRENCE_TOPICS: '{"pairs":null}' }).topics.pairs).toBeNull();
    expect(() => loadCooccurrenceConfig({ STREAMREC_COOCCURRENCE_TOPICS: '{"pairs":""}' })).toThrow(/pairs/);
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
