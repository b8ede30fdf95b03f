import { describe, expect, it } from 'vitest';
import { classifyInsertFailure, clickHouseErrorCode, clickHouseErrorSummary } from './insert-failure.js';

describe('insert failure classes', () => {
  it('rows ClickHouse cannot parse or hold are the rows\' fault', () => {
    for (const code of [6, 27, 38, 41, 53, 72, 117, 131, 321]) expect(classifyInsertFailure(code)).toBe('rows');
  });

  it('an overloaded or unreachable server is transient, as is a failure without a code', () => {
    for (const code of [159, 241, 242, 252, 209, 210, 999]) expect(classifyInsertFailure(code)).toBe('transient');
    expect(classifyInsertFailure(undefined)).toBe('transient');
  });

  it('schema, grants and unknown codes are for an operator, never the rows\' fault', () => {
    for (const code of [16, 47, 60, 81, 192, 193, 497, 516, 12_345]) expect(classifyInsertFailure(code)).toBe('operator');
  });

  it('reads the code of both the 18.16 and the newer error format, the innermost of a wrapped one', () => {
    expect(clickHouseErrorCode('Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected {')).toBe(27);
    expect(clickHouseErrorCode('Code: 252. DB::Exception: Too many parts (300). (TOO_MANY_PARTS)')).toBe(252);
    expect(clickHouseErrorCode('Code: 57. DB::Exception: on [h:9000]: Code: 60. DB::Exception: no table')).toBe(60);
    expect(clickHouseErrorCode('connect ECONNREFUSED 127.0.0.1:18123')).toBeUndefined();
  });

  it('a reason keeps the first line of the message without the input it quotes, bounded', () => {
    const real = 'Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected " before: abc","user_id":"42"}: (while read the value of key kafka_offset): (at row 1)\n, e.what() = DB::Exception';
    expect(clickHouseErrorSummary(real)).toBe('Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected ": (while read the value of key kafka_offset): (at row 1)');
    expect(clickHouseErrorSummary("Code: 72, e.displayText() = DB::Exception: Unsigned type must not contain '-' symbol: (at row 1)")).toBe("Code: 72, e.displayText() = DB::Exception: Unsigned type must not contain '-' symbol: (at row 1)");
    expect(clickHouseErrorSummary('Code: 27. DB::Exception: bad\nstack trace')).toBe('Code: 27. DB::Exception: bad');
    expect(clickHouseErrorSummary('x'.repeat(400), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
