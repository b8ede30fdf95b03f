import { describe, expect, it } from 'vitest';
import { deadLetterMessage, deadLetterTopic, encodeBytes } from './dead-letter.js';

describe('dead letters', () => {
  it('keeps text as text and other bytes as base64, with the reason and the source position', () => {
    const { key, value, letter } = deadLetterMessage(
      'normalize',
      { topic: 'cdc.shop.datasets', partition: 2, offset: 41n, key: Buffer.from('{"id":1}'), value: Buffer.from([0xc3, 0x28]), code: 'REC_PAYLOAD_INVALID', reason: 'bad JSON' },
      1000,
    );
    expect(Buffer.from(key!).toString()).toBe('{"id":1}');
    expect(JSON.parse(value)).toEqual(letter);
    expect(letter).toMatchObject({
      processor: 'normalize',
      code: 'REC_PAYLOAD_INVALID',
      reason: 'bad JSON',
      source: { topic: 'cdc.shop.datasets', partition: 2, offset: '41' },
      key: { encoding: 'utf8', data: '{"id":1}' },
      value: { encoding: 'base64', data: 'wyg=' },
    });
    expect(encodeBytes(null)).toBeNull();
    expect(deadLetterTopic('features')).toBe('dlq.features');
  });
});
