import { ErrorCode, isAppError } from '@streamrec/foundation';
import { describe, expect, it } from 'vitest';
import { HELP, parseCommandLine } from './cli-args.js';

const usageError = (argv: string[]): unknown => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseCommandLine', () => {
  it('prints help for no command, help and --help on every command', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', text: HELP.main });
    expect(parseCommandLine(['bulk', '--help'])).toEqual({ kind: 'help', text: HELP.bulk });
    expect(parseCommandLine(['trickle', '-h'])).toEqual({ kind: 'help', text: HELP.trickle });
  });

  it('defaults bulk to seed 1, medium scale, no append', () => {
    expect(parseCommandLine(['bulk'])).toEqual({ kind: 'bulk', seed: 1, scale: 'medium', append: false, until: null, summaryFile: null });
  });

  it('reads every bulk and trickle option', () => {
    expect(
      parseCommandLine(['bulk', '--seed', '42', '--scale', 'small', '--append', '--until', '2024-06-01T00:00:00Z', '--summary', 'out.json']),
    ).toEqual({
      kind: 'bulk',
      seed: 42,
      scale: 'small',
      append: true,
      until: new Date('2024-06-01T00:00:00Z'),
      summaryFile: 'out.json',
    });
    expect(parseCommandLine(['trickle', '--seed', '3', '--rate', '50', '--duration', '10'])).toEqual({
      kind: 'trickle',
      seed: 3,
      eventsPerSecond: 50,
      durationSeconds: 10,
      summaryFile: null,
    });
  });

  it('defaults traffic to 20 requests/s without a stop, three scenes, 10 items, orders on, no planted effect', () => {
    expect(parseCommandLine(['traffic'])).toEqual({
      kind: 'traffic',
      seed: 1,
      requestsPerSecond: 20,
      durationSeconds: null,
      maxRequests: null,
      scale: null,
      scenes: ['home', 'item_detail', 'cart'],
      limit: 10,
      apiUrl: null,
      apiKey: null,
      eventsKey: null,
      userPrefix: '',
      lift: new Map(),
      drop: new Map(),
      writeOrders: true,
      summaryFile: null,
    });
    expect(parseCommandLine(['traffic', '--help'])).toEqual({ kind: 'help', text: HELP.traffic });
  });

  it('reads every traffic option; --lift and --drop-variant repeat and take comma lists', () => {
    const command = parseCommandLine([
      'traffic', '--seed', '9', '--rate', '5.5', '--duration', '30', '--requests', '100', '--scale', 'small',
      '--scenes', 'home,cart', '--limit', '20', '--api', 'http://127.0.0.1:9999', '--api-key', 'sr_a_x', '--events-key', 'sr_b_y', '--user-prefix', 'rl-7:',
      '--lift', 'content-boost=1.5', '--lift', 'other=0,third=2', '--drop-variant', 'control=0.25', '--no-orders', '--summary', 's.json',
    ]);
    expect(command).toMatchObject({
      kind: 'traffic',
      seed: 9,
      requestsPerSecond: 5.5,
      durationSeconds: 30,
      maxRequests: 100,
      scale: 'small',
      scenes: ['home', 'cart'],
      limit: 20,
      apiUrl: 'http://127.0.0.1:9999',
      apiKey: 'sr_a_x',
      eventsKey: 'sr_b_y',
      userPrefix: 'rl-7:',
      lift: new Map([['content-boost', 1.5], ['other', 0], ['third', 2]]),
      drop: new Map([['control', 0.25]]),
      writeOrders: false,
      summaryFile: 's.json',
    });
  });

  it.each([
    [['traffic', '--lift', 'control']],
    [['traffic', '--lift', '=2']],
    [['traffic', '--lift', 'control=-1']],
    [['traffic', '--lift', 'a=2', '--lift', 'a=3']],
    [['traffic', '--drop-variant', 'control=1.5']],
    [['traffic', '--scenes', 'Home']],
    [['traffic', '--limit', '101']],
    [['traffic', '--requests', '2.5']],
    [['traffic', '--api', 'localhost:18080']],
    [['traffic', '--scale', 'tiny']],
    [['traffic', '--until', 'now']],
  ])('rejects traffic %j with REC_INVALID_ARGUMENT and the usage', (argv) => {
    const error = usageError(argv);
    expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    expect((error as Error).message).toContain('Usage:');
  });

  it.each([
    [['nope']],
    [['bulk', '--scale', 'huge']],
    [['bulk', '--seed', '-1']],
    [['bulk', '--rate', '5']],
    [['trickle', '--rate', '0']],
    [['trickle', '--duration', 'soon']],
    [['bulk', '--until', 'yesterday']],
  ])('rejects %j with REC_INVALID_ARGUMENT and the usage', (argv) => {
    const error = usageError(argv);
    expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    expect((error as Error).message).toContain('Usage:');
  });
});
