import { describe, expect, it } from 'vitest';
import { parseCommandLine } from './cli-args.js';

describe('npm run erase arguments', () => {
  it('parse a full command line', () => {
    expect(parseCommandLine(['--user', '42', '--ticket', 'GDPR-17', '--operator', 'ops', '--dry-run', '--wait', '30s'])).toEqual({ kind: 'erase', user: '42', dryRun: true, operator: 'ops', ticket: 'GDPR-17', waitMs: 30_000 });
  });

  it('print help, and refuse a missing or malformed user, ticket or wait with a usage error', () => {
    expect(parseCommandLine(['--help'])).toMatchObject({ kind: 'help' });
    for (const argv of [[], ['--user', 'anon:1'], ['--user', '42', '--ticket', "x' OR 1"], ['--user', '42', '--wait', 'soon'], ['--user', '42', '--bogus']]) {
      expect(() => parseCommandLine(argv)).toThrow(expect.objectContaining({ code: 'REC_INVALID_ARGUMENT' }));
    }
  });
});
