import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { AppError, ErrorCode, durationMs } from '@streamrec/foundation';
import { shopUserIdOf } from './domain/erasure-subjects.js';
import { environmentVariables } from './config.js';

export interface EraseCommand {
  readonly kind: 'erase';
  readonly user: string;
  readonly dryRun: boolean;
  readonly operator: string;
  readonly ticket: string;
  /** How long to wait for the processors to consume what is already in Kafka, and for ClickHouse's deletes. */
  readonly waitMs: number;
}
export type Command = { readonly kind: 'help'; readonly text: string } | EraseCommand;

export const HELP = `Usage: npm run erase -- --user ID [--ticket REF] [--operator NAME] [--dry-run] [--wait 120s]

The right to erasure: removes one shop user's data from the running system and keeps it out.

  1. lists the user (and the visitor pseudonyms normalize linked to them) on the erasure list, a keyed
     hash in Redis: normalize drops every row and event naming them from then on, replays included;
  2. writes a tombstone for the user to events.users.v1 (compacted);
  3. waits until every running processor has consumed what Kafka already held (--wait);
  4. Redis: deletes their keys in every state version, removes them from items' recent users, dedup
     seen-sets and normalize's state;
  5. ClickHouse: ALTER TABLE … DELETE on interactions, exposures, users, orders, order_items, and waits
     for the mutations;
  6. the API: POST /admin/erasures on each operations listener (their last answers, in memory and on disk);
  7. searches every store again and records the run in streamrec.erasures (no identifier: the keyed hash).

Re-running is safe. Exit 0: nothing of the user was found at the end; 1: a step failed or something
was still found (the message says what; run it again); 2: usage.

Options:
  --user ID            shop user id (decimal)
  --ticket REF         the request this answers, recorded in the audit row ([A-Za-z0-9._:/#-], ≤ 100)
  --operator NAME      who runs it (default: the OS user)
  --dry-run            only count what would be removed; changes nothing (the audit row says dry_run)
  --wait DURATION      for the processors and ClickHouse's deletes (default 120s; e.g. 30s, 5m)
  -h, --help

Environment (defaults from infra/local/stack.env and .stack/secrets.env):
${Object.entries(environmentVariables).map(([name, text]) => `  ${name.padEnd(34)} ${text}`).join('\n')}

Not erased: the cdc.* topics (kept for rebuilds; normalize drops the user's rows on every read) and
events.interactions.v1 / serving.exposures.v1 until their retention ends. A rebuild from those within
their retention brings the user's downstream state back: run the erasure again after it. The dlq.*
topics keep rejected records' original bytes for 30 days (read by operators, never replayed). See
docs/OPERATIONS.md "Personal data".`;

const TICKET = /^[A-Za-z0-9._:/#-]{1,100}$/;

export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        user: { type: 'string' },
        ticket: { type: 'string' },
        operator: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        wait: { type: 'string', default: '120s' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new AppError(ErrorCode.InvalidArgument, `${error instanceof Error ? error.message : String(error)} (see --help)`);
  }
  const { values } = parsed;
  if (values.help) return { kind: 'help', text: HELP };
  if (values.user === undefined) throw new AppError(ErrorCode.InvalidArgument, '--user ID is required (see --help)');
  const ticket = values.ticket ?? '';
  if (ticket !== '' && !TICKET.test(ticket)) throw new AppError(ErrorCode.InvalidArgument, `--ticket must be 1..100 of [A-Za-z0-9._:/#-], got '${ticket}'`);
  const operator = values.operator ?? userInfo().username;
  if (!TICKET.test(operator)) throw new AppError(ErrorCode.InvalidArgument, `--operator must be 1..100 of [A-Za-z0-9._:/#-], got '${operator}'`);
  const waitMs = durationMs(values.wait);
  if (waitMs === undefined || waitMs <= 0) throw new AppError(ErrorCode.InvalidArgument, `--wait must be a duration such as 30s or 5m, got '${values.wait}'`);
  return { kind: 'erase', user: shopUserIdOf(values.user), dryRun: values['dry-run'], operator, ticket, waitMs };
}
