import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { stopOnSignals } from './shutdown.js';

describe('stopOnSignals', () => {
  it('stops once on the first signal and exits 0, or 1 when stopping fails', async () => {
    const codes: number[] = [];
    let stops = 0;
    stopOnSignals(() => {
      stops += 1;
      return Promise.resolve();
    }, pino({ level: 'silent' }), (code) => codes.push(code));
    process.emit('SIGTERM');
    process.emit('SIGINT');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).toBe(1);
    expect(codes).toEqual([0]);

    stopOnSignals(() => Promise.reject(new Error('boom')), pino({ level: 'silent' }), (code) => codes.push(code));
    process.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(codes).toEqual([0, 1]);
  });
});
